import Foundation
import TestSupport
import Testing

/// `hypergolix config` as a user (or the interop toolkit) runs it, with its own HOME.
@Suite struct ConfigCommandTests {
    func config(_ arguments: [String], home: ScratchDirectory) async throws -> Subprocess.Result {
        try await Binary.run(["config"] + arguments, environment: ["HOME": home.url.path])
    }

    func file(_ home: ScratchDirectory) throws -> [String: Any] {
        let data = try Data(contentsOf: home.url.appendingPathComponent(".hypergolix/hgx-cfg.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theInteropToolkitsCall() async throws {
        let home = try ScratchDirectory()
        let result = try await config(["--addhost", "127.0.0.1", "7770", "False", "--ipc-port", "7773"], home: home)
        #expect(result.status == 0, "\(result.error)")
        let written = try file(home)
        let remotes = try #require(written["remotes"] as? [[String: Any]])
        #expect(remotes.count == 1 && remotes[0]["host"] as? String == "127.0.0.1" && remotes[0]["port"] as? Int == 7770)
        #expect(remotes[0]["tls"] as? Bool == false && remotes[0]["__RemoteDef__"] as? Bool == true)
        #expect((written["process"] as? [String: Any])?["ipc_port"] as? Int == 7773)
        // Idempotent: the same host is not added twice.
        _ = try await config(["--addhost", "127.0.0.1", "7770", "False"], home: home)
        #expect((try file(home)["remotes"] as? [Any])?.count == 1)
    }

    @Test func remotesVerbosityAndWhoami() async throws {
        let home = try ScratchDirectory()
        _ = try await config(["--add", "hgx", "-ah", "10.0.0.1", "7770", "true", "-v", "loud", "--debug"], home: home)
        var written = try file(home)
        #expect((written["remotes"] as? [[String: Any]])?.map { $0["host"] as? String } == ["hgx.hypergolix.com", "10.0.0.1"])
        #expect((written["instrumentation"] as? [String: Any])?["verbosity"] as? String == "loud")
        _ = try await config(["--removehost", "10.0.0.1", "7770", "--remove", "hgx", "--no-debug"], home: home)
        written = try file(home)
        #expect((written["remotes"] as? [Any])?.isEmpty == true)
        #expect((written["instrumentation"] as? [String: Any])?["debug"] as? Bool == false)
        _ = try await config(["--only", "hgx"], home: home)
        #expect((try file(home)["remotes"] as? [Any])?.count == 1)
        let whoami = try await config(["--whoami"], home: home)
        #expect(whoami.output.contains("no account yet"))
        _ = try await config(["--cipher-suite", "1"], home: home)
        #expect((try file(home)["swift"] as? [String: Any])?["cipher_suite"] as? Int == 1)
    }

    @Test func badFlagsAreRefusedClearly() async throws {
        let home = try ScratchDirectory()
        for (arguments, message) in [
            (["--only", "local", "--add", "hgx"], "--only cannot be combined"),
            (["--addhost", "h", "7770"], "--addhost takes HOST PORT TLS"),
            (["--addhost", "h", "port", "False"], "bad port"),
            (["--addhost", "h", "7770", "maybe"], "TLS must be True or False"),
            (["--ipc-port", "0"], "--ipc-port must be"),
            (["--cipher-suite", "2"], "--cipher-suite must be 1 or 3"),
            (["--only", "elsewhere"], "elsewhere"),
        ] {
            let result = try await config(arguments, home: home)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
        }
        let register = try await config(["--register"], home: home)
        #expect(register.status == 1 && register.error.contains("does not exist any more"))
    }

    @Test func aDamagedFileIsReportedNotOverwritten() async throws {
        let home = try ScratchDirectory()
        let directory = home.url.appendingPathComponent(".hypergolix")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("{ not json".utf8).write(to: directory.appendingPathComponent("hgx-cfg.json"))
        let result = try await config(["--debug"], home: home)
        #expect(result.status != 0 && result.error.contains("hgx-cfg.json"))
        #expect(try String(contentsOf: directory.appendingPathComponent("hgx-cfg.json"), encoding: .utf8) == "{ not json")
    }
}
