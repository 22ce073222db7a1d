import Foundation
import Golix
@testable import HypergolixDaemon
import Testing

/// `hgx-cfg.json` exactly as 0.1.0 writes and reads it (HYPERGOLIX-0.1-WIRE §6.6).
@Suite struct ConfigurationTests {
    /// What Python's `json.dump(..., indent=4)` of a blank 0.1.0 configuration with one remote prints.
    static let original = """
        {
            "remotes": [
                {
                    "host": "127.0.0.1",
                    "port": 7770,
                    "tls": false,
                    "__RemoteDef__": true
                }
            ],
            "user": {
                "fingerprint": null,
                "user_id": null,
                "root_secret": null,
                "__UserDef__": true
            },
            "instrumentation": {
                "verbosity": "warning",
                "debug": false,
                "traceur": false,
                "__InstrumentationDef__": true
            },
            "process": {
                "ipc_port": 7772,
                "__ProcessDef__": true
            }
        }
        """

    @Test func writesTheOriginalsFormat() {
        var config = HGXConfiguration()
        config.remotes = [.init(host: "127.0.0.1", port: 7770, tls: false)]
        #expect(String(decoding: config.serialized(), as: UTF8.self) == Self.original)
        #expect(String(decoding: HGXConfiguration().serialized(), as: UTF8.self).contains("\"remotes\": [],"))
    }

    @Test func readsWhatTheOriginalAndItsToolsWrite() throws {
        let fingerprint = Ghid.pseudorandom()
        let userID = Ghid.pseudorandom()
        let secret = Secret.random(cipherSuite: .suite1)
        let text = Self.original
            .replacingOccurrences(of: "\"fingerprint\": null", with: "\"fingerprint\": \"\(fingerprint.base64)\"")
            .replacingOccurrences(of: "\"user_id\": null", with: "\"user_id\": \"\(userID.base64)\"")
            .replacingOccurrences(of: "\"root_secret\": null", with: "\"root_secret\": \"\(secret.base64)\"")
        let config = try HGXConfiguration(data: Data(text.utf8))
        #expect(config.fingerprint == fingerprint && config.userID == userID && config.rootSecret == secret)
        #expect(config.remotes == [.init(host: "127.0.0.1", port: 7770, tls: false)])
        #expect(config.ipcPort == 7772 && config.verbosity == "warning" && !config.debug)
        #expect(try HGXConfiguration(data: config.serialized()) == config)
    }

    @Test func ourSettingsLiveBesideTheOriginals() throws {
        var config = HGXConfiguration()
        config.cipherSuite = .suite1
        let text = String(decoding: config.serialized(), as: UTF8.self)
        #expect(text.hasSuffix("    \"swift\": {\n        \"cipher_suite\": 1\n    }\n}"))
        #expect(try HGXConfiguration(data: config.serialized()).cipherSuite == .suite1)
    }

    @Test func refusesBrokenFiles() {
        for text in ["[]", "{\"user\": {\"fingerprint\": \"AQ==\"}}", "{\"remotes\": [{\"host\": 1}]}",
                     "{\"user\": {\"fingerprint\": \"\(Ghid.pseudorandom().base64)\", \"user_id\": null}}",
                     "{\"user\": {\"root_secret\": \"nope\"}}", "{\"swift\": {\"cipher_suite\": 2}}", "not json"] {
            #expect(throws: HGXConfiguration.Invalid.self, "\(text)") { try HGXConfiguration(data: Data(text.utf8)) }
        }
    }

    @Test func savesPrivately() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-config-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = HGXConfiguration()
        config.rootSecret = .random()
        try config.save(to: directory)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("hgx-cfg.json").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try HGXConfiguration.load(from: directory) == config)
        #expect(try HGXConfiguration.load(from: directory.appendingPathComponent("nothing")) == HGXConfiguration())
    }
}
