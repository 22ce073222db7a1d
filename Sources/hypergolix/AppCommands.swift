import ArgumentParser
import Foundation
import Golix
import HypergolixDaemon
import Logging
import ServiceLifecycle

struct StartApp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "Start the Hypergolix daemon for this user (in the background unless --foreground).",
        discussion: """
            The first start creates an identity and an account, asking for a password twice (or reading two \
            lines from standard input when there is no terminal); later starts ask once. A root_secret in the \
            configuration skips the password.
            """
    )

    @Flag(help: "Run in the foreground (for service managers and containers).")
    var foreground = false

    func run() async throws {
        let directory = HGXConfiguration.directory()
        let config = try HGXConfiguration.load(from: directory)
        let pidFile = PidFile(path: directory.appendingPathComponent("hypergolix.pid").path)
        if let pid = pidFile.read(), PidFile.isRunning(pid) {
            throw CommandFailure("Hypergolix is already running (pid \(pid))")
        }
        var password: String?
        if config.rootSecret == nil {
            password = try Password.read(confirm: config.userID == nil)
        }
        guard foreground else {
            let logs = directory.appendingPathComponent("logs")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            do {
                let input = password.map { "\($0)\n\($0)\n" }
                let pid = try Daemonizer.spawn(arguments: ["start", "app", "--foreground"],
                                               logFile: logs.appendingPathComponent("hypergolix.log").path, input: input)
                let written = try HGXConfiguration.load(from: directory)
                if config.userID == nil, let fingerprint = written.fingerprint, let userID = written.userID {
                    print("""
                        Account created. Record these values in case you need to log in from another machine:
                          user id:     \(userID.base64)
                          fingerprint: \(fingerprint.base64)
                        """)
                }
                print("Hypergolix started (pid \(pid)); apps connect to localhost:\(config.ipcPort)")
            } catch {
                throw CommandFailure("Hypergolix failed to start: \(error)")
            }
            return
        }
        try await runForeground(directory: directory, config: config, password: password, pidFile: pidFile)
    }

    func runForeground(directory: URL, config: HGXConfiguration, password: String?, pidFile: PidFile) async throws {
        Logging.bootstrap(level: Verbosity.level(Verbosity(rawValue: config.verbosity), debug: config.debug, default: .notice))
        let logger = Logger(label: "hypergolix.daemon")
        let login: Login
        if let userID = config.userID, let fingerprint = config.fingerprint {
            login = .existing(userID: userID, fingerprint: fingerprint, password: password, rootSecret: config.rootSecret)
        } else {
            login = .create(password: password, rootSecret: config.rootSecret, cipherSuite: config.cipherSuite ?? .suite3)
        }
        let daemon: Daemon
        do {
            daemon = try await Daemon.start(
                configuration: DaemonConfiguration(directory: directory, ipcPort: config.ipcPort, remotes: config.remotes),
                login: login, logger: logger
            )
            if config.userID == nil {
                var updated = try HGXConfiguration.load(from: directory)
                updated.fingerprint = daemon.fingerprint
                updated.userID = daemon.userID
                try updated.save(to: directory)
                logger.notice("account created: user id \(daemon.userID.base64), fingerprint \(daemon.fingerprint.base64)")
            }
            try pidFile.write()
        } catch {
            Daemonizer.report("\(error)")
            throw CommandFailure("\(error)")
        }
        Daemonizer.report(Daemonizer.readyMessage)
        defer { pidFile.remove() }
        let service = DaemonService(daemon: daemon)
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Runs the daemon until a graceful shutdown, then stops it cleanly (account published, remotes told).
struct DaemonService: Service {
    let daemon: Daemon

    func run() async throws {
        try? await gracefulShutdown()
        await daemon.stop()
    }
}

struct StopApp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "Stop this user's Hypergolix daemon and wait for it to exit."
    )

    func run() async throws {
        let pidFile = PidFile(path: HGXConfiguration.directory().appendingPathComponent("hypergolix.pid").path)
        try Daemonizer.stop(pidFile: pidFile, name: "Hypergolix")
        print("Hypergolix stopped")
    }
}
