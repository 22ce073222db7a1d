import Foundation
import Golix

/// The daemon's configuration file, `~/.hypergolix/hgx-cfg.json`, in the 0.1.0 format (HYPERGOLIX-0.1-WIRE
/// §6.6): the same fields, order and `"__XxxDef__": true` type tags, so the file stays readable by the
/// original and by the tools that edit it (the interop toolkit writes `root_secret` into it).
///
/// Settings of ours that 0.1.0 lacks live under a separate top-level `"swift"` key, which the original
/// ignores.
public struct HGXConfiguration: Equatable, Sendable {
    public struct Remote: Hashable, Sendable {
        public var host: String
        public var port: Int
        public var tls: Bool

        public init(host: String, port: Int, tls: Bool) {
            self.host = host
            self.port = port
            self.tls = tls
        }
    }

    public var remotes: [Remote] = []
    public var fingerprint: Ghid?
    public var userID: Ghid?
    /// Logs in without a password when set (for unattended devices); only ever set by hand.
    public var rootSecret: Secret?
    public var verbosity: String = "warning"
    public var debug = false
    public var traceur = false
    public var ipcPort = 7772
    /// The cipher suite for a new identity; nil means our default (suite 3).
    public var cipherSuite: CipherSuite?

    public static let hostedRemote = Remote(host: "hgx.hypergolix.com", port: 443, tls: true)
    public static let fileName = "hgx-cfg.json"

    public init() {}

    // MARK: - Reading

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(data: Data) throws {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Invalid(description: "the configuration is not a JSON object")
        }
        if let remotes = root["remotes"] {
            guard let list = remotes as? [[String: Any]] else { throw Invalid(description: "remotes must be a list of objects") }
            self.remotes = try list.map { entry in
                guard let host = entry["host"] as? String, let port = entry["port"] as? Int else {
                    throw Invalid(description: "each remote needs a host and a port")
                }
                return Remote(host: host, port: port, tls: Self.bool(entry["tls"]) ?? false)
            }
        }
        if let user = root["user"] as? [String: Any] {
            fingerprint = try Self.ghid(user["fingerprint"], "user.fingerprint")
            userID = try Self.ghid(user["user_id"], "user.user_id")
            if let text = user["root_secret"] as? String {
                do {
                    rootSecret = try Secret(base64: text)
                } catch {
                    throw Invalid(description: "user.root_secret is not a Golix secret: \(error)")
                }
            }
        }
        if let instrumentation = root["instrumentation"] as? [String: Any] {
            verbosity = instrumentation["verbosity"] as? String ?? verbosity
            debug = Self.bool(instrumentation["debug"]) ?? false
            traceur = Self.bool(instrumentation["traceur"]) ?? false
        }
        if let process = root["process"] as? [String: Any], let port = process["ipc_port"] as? Int {
            ipcPort = port
        }
        if let swift = root["swift"] as? [String: Any], let suite = swift["cipher_suite"] as? Int {
            guard let value = UInt8(exactly: suite), let parsed = CipherSuite(rawValue: value) else {
                throw Invalid(description: "swift.cipher_suite must be 1 or 3")
            }
            cipherSuite = parsed
        }
        if (fingerprint == nil) != (userID == nil) {
            throw Invalid(description: "user.fingerprint and user.user_id must both be set, or neither")
        }
    }

    private static func ghid(_ value: Any?, _ field: String) throws -> Ghid? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String, let ghid = Ghid(base64: text) else {
            throw Invalid(description: "\(field) is not a ghid")
        }
        return ghid
    }

    /// Python writes `true`; hand-edited files may say "True".
    private static func bool(_ value: Any?) -> Bool? {
        if let value = value as? Bool { return value }
        if let text = value as? String { return ["true", "1", "yes"].contains(text.lowercased()) }
        return nil
    }

    // MARK: - Writing

    var json: OrderedJSON {
        var root: [(String, OrderedJSON)] = [
            ("remotes", .array(remotes.map { remote in
                .object([("host", .string(remote.host)), ("port", .int(remote.port)), ("tls", .bool(remote.tls)),
                         ("__RemoteDef__", .bool(true))])
            })),
            ("user", .object([
                ("fingerprint", fingerprint.map { .string($0.base64) } ?? .null),
                ("user_id", userID.map { .string($0.base64) } ?? .null),
                ("root_secret", rootSecret.map { .string($0.base64) } ?? .null),
                ("__UserDef__", .bool(true)),
            ])),
            ("instrumentation", .object([
                ("verbosity", .string(verbosity)), ("debug", .bool(debug)), ("traceur", .bool(traceur)),
                ("__InstrumentationDef__", .bool(true)),
            ])),
            ("process", .object([("ipc_port", .int(ipcPort)), ("__ProcessDef__", .bool(true))])),
        ]
        if let cipherSuite {
            root.append(("swift", .object([("cipher_suite", .int(Int(cipherSuite.rawValue)))])))
        }
        return .object(root)
    }

    public func serialized() -> Data {
        Data(json.text().utf8)
    }

    // MARK: - Files

    /// `$HOME/.hypergolix`: where the original keeps everything, and so do we.
    public static func directory(home: String? = ProcessInfo.processInfo.environment["HOME"]) -> URL {
        URL(fileURLWithPath: home ?? NSHomeDirectory()).appendingPathComponent(".hypergolix")
    }

    /// Loads the file, or a blank configuration if there is none yet.
    public static func load(from directory: URL) throws -> HGXConfiguration {
        let file = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return HGXConfiguration() }
        do {
            return try HGXConfiguration(data: Data(contentsOf: file))
        } catch let error as Invalid {
            throw Invalid(description: "\(file.path): \(error.description)")
        }
    }

    /// Writes atomically, readable by the owner only: it may hold the login secret.
    public func save(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let file = directory.appendingPathComponent(Self.fileName)
        try serialized().write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }
}
