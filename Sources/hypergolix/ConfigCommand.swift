import ArgumentParser
import Foundation
import Golix
import HypergolixDaemon

/// `hypergolix config`: edits `~/.hypergolix/hgx-cfg.json` with the 0.1.0 flags.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Configure the Hypergolix daemon (remotes, logging, IPC port, identity) in ~/.hypergolix/hgx-cfg.json."
    )

    enum NamedRemote: String, ExpressibleByArgument {
        case local, hgx
    }

    @Option(name: [.customShort("o"), .long], help: "Use only this remote (local: none; hgx: the hosted service).")
    var only: NamedRemote?

    @Option(name: [.customShort("a"), .long], help: "Add a named remote (hgx).")
    var add: NamedRemote?

    @Option(name: [.customShort("r"), .long], help: "Remove a named remote (hgx).")
    var remove: NamedRemote?

    @Option(name: [.customLong("addhost"), .customLong("ah", withSingleDash: true)], parsing: .upToNextOption,
            help: "Add a remote server: HOST PORT TLS (e.g. 127.0.0.1 7770 False).")
    var addhost: [String] = []

    @Option(name: [.customLong("removehost"), .customLong("rh", withSingleDash: true)], parsing: .upToNextOption,
            help: "Remove a remote server: HOST PORT.")
    var removehost: [String] = []

    @Flag(inversion: .prefixedNo, help: "Debug mode.")
    var debug: Bool?

    @Option(name: [.customShort("v"), .long], help: "Log level: \(Verbosity.allCases.map(\.rawValue).joined(separator: ", ")).")
    var verbosity: Verbosity?

    @Option(name: [.customLong("ipc-port"), .customLong("ipc", withSingleDash: true)], help: "Port apps connect to.")
    var ipcPort: Int?

    @Option(help: "Cipher suite for a new identity: 3 (modern, the default) or 1 (compatible with original daemons).")
    var cipherSuite: UInt8?

    @Flag(help: "Print this user's fingerprint and user id.")
    var whoami = false

    @Flag(help: "Register with the hosted service (it no longer exists; run your own server).")
    var register = false

    func validate() throws {
        if only != nil, add != nil || remove != nil || !addhost.isEmpty || !removehost.isEmpty {
            throw ValidationError("--only cannot be combined with --add, --remove, --addhost or --removehost")
        }
        if !addhost.isEmpty, addhost.count != 3 { throw ValidationError("--addhost takes HOST PORT TLS") }
        if !removehost.isEmpty, removehost.count != 2 { throw ValidationError("--removehost takes HOST PORT") }
        if let ipcPort, !(1...65535).contains(ipcPort) { throw ValidationError("--ipc-port must be 1…65535, not \(ipcPort)") }
        if let cipherSuite, CipherSuite(rawValue: cipherSuite) == nil {
            throw ValidationError("--cipher-suite must be 1 or 3, not \(cipherSuite)")
        }
    }

    func run() async throws {
        if register {
            throw CommandFailure("""
                registration was for the hosted hgx.hypergolix.com service, which does not exist any more: \
                run your own server (hypergolix start server) and add it with --addhost HOST PORT TLS
                """)
        }
        let directory = HGXConfiguration.directory()
        var config = try HGXConfiguration.load(from: directory)
        switch only {
        case .local?: config.remotes = []
        case .hgx?: config.remotes = [HGXConfiguration.hostedRemote]
        case nil: break
        }
        if add == .hgx, !config.remotes.contains(HGXConfiguration.hostedRemote) { config.remotes.append(HGXConfiguration.hostedRemote) }
        if remove == .hgx { config.remotes.removeAll { $0 == HGXConfiguration.hostedRemote } }
        if addhost.count == 3 {
            guard let port = Int(addhost[1]), (1...65535).contains(port) else { throw ValidationError("--addhost: bad port \(addhost[1])") }
            guard let tls = Self.bool(addhost[2]) else { throw ValidationError("--addhost: TLS must be True or False, not \(addhost[2])") }
            let remote = HGXConfiguration.Remote(host: addhost[0], port: port, tls: tls)
            config.remotes.removeAll { $0.host == remote.host && $0.port == remote.port }
            config.remotes.append(remote)
        }
        if removehost.count == 2 {
            guard let port = Int(removehost[1]) else { throw ValidationError("--removehost: bad port \(removehost[1])") }
            config.remotes.removeAll { $0.host == removehost[0] && $0.port == port }
        }
        if let debug { config.debug = debug }
        if let verbosity { config.verbosity = verbosity.rawValue }
        if let ipcPort { config.ipcPort = ipcPort }
        if let cipherSuite {
            if config.userID != nil, CipherSuite(rawValue: cipherSuite) != nil {
                print("note: the account already exists; --cipher-suite applies to new identities only")
            }
            config.cipherSuite = CipherSuite(rawValue: cipherSuite)
        }
        try config.save(to: directory)
        if whoami {
            print("fingerprint: \(config.fingerprint?.base64 ?? "(no account yet: run hypergolix start app)")")
            print("user id:     \(config.userID?.base64 ?? "(no account yet)")")
        }
    }

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: return nil
        }
    }
}
