import ArgumentParser
import Foundation
import HypergolixServer
import Logging
import ServiceLifecycle

struct StartServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Start a persistence server (in the background unless --foreground)."
    )

    @Argument(help: "Where to write the server's pid; `stop server` needs the same path.")
    var pidfile: String

    @Option(name: [.short, .long], help: "Directory for the durable object store; without it, objects live in memory only.")
    var cachedir: String?

    @Option(name: [.customShort("H"), .long], help: "Host to bind: an address, AUTO (this machine's LAN address) or ANY (all interfaces).")
    var host: String = "127.0.0.1"

    @Option(name: [.short, .long], help: "WebSocket port.")
    var port: Int = 7770

    @Option(help: "Also answer HTTP health checks (GET → 200) on this port, as the original's 7777.")
    var healthPort: Int?

    @Option(help: "Change into this directory once running.")
    var chdir: String?

    @Option(help: "Directory for the server's log file (hypergolix-server.log); without it logs are discarded.")
    var logdir: String?

    @Flag(help: "Debug mode: debug verbosity unless --verbosity says otherwise.")
    var debug = false

    @Flag(help: "Accepted for compatibility with 0.1.0; has no effect.")
    var traceur = false

    @Option(name: [.short, .long], help: "Log level: \(Verbosity.allCases.map(\.rawValue).joined(separator: ", ")).")
    var verbosity: Verbosity?

    @Flag(help: "Run in the foreground (for service managers and containers).")
    var foreground = false

    @Flag(help: "Accept frames without checking their history (the original's behaviour).")
    var lenientFrames = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port)") }
        if let healthPort, !(0...65535).contains(healthPort) {
            throw ValidationError("--health-port must be 0…65535, not \(healthPort)")
        }
    }

    var logFile: String? {
        logdir.map { (absolute($0) as NSString).appendingPathComponent("hypergolix-server.log") }
    }

    func run() async throws {
        let pidFile = PidFile(path: absolute(pidfile))
        if let pid = pidFile.read(), PidFile.isRunning(pid) {
            throw CommandFailure("a server is already running with pid \(pid) (\(pidFile.path))")
        }
        guard foreground else {
            if let logdir { try FileManager.default.createDirectory(atPath: absolute(logdir), withIntermediateDirectories: true) }
            var arguments = ["start", "server", pidFile.path, "--foreground", "--host", host, "--port", String(port)]
            if let cachedir { arguments += ["--cachedir", absolute(cachedir)] }
            if let healthPort { arguments += ["--health-port", String(healthPort)] }
            if let chdir { arguments += ["--chdir", absolute(chdir)] }
            if let verbosity { arguments += ["--verbosity", verbosity.rawValue] }
            if debug { arguments.append("--debug") }
            if lenientFrames { arguments.append("--lenient-frames") }
            do {
                let pid = try Daemonizer.spawn(arguments: arguments, logFile: logFile)
                print("Hypergolix server started (pid \(pid)) on \(host):\(port)")
            } catch {
                throw CommandFailure("Hypergolix server failed to start: \(error)")
            }
            return
        }
        try await runForeground(pidFile: pidFile)
    }

    func runForeground(pidFile: PidFile) async throws {
        Logging.bootstrap(level: Verbosity.level(verbosity, debug: debug))
        let logger = Logger(label: "hypergolix.server")
        let server: PersistenceServer
        do {
            server = try PersistenceServer(
                configuration: ServerConfiguration(
                    host: try NetworkAddress.resolve(host),
                    port: port,
                    cacheDirectory: cachedir.map(absolute),
                    healthPort: healthPort,
                    checksFrameHistory: !lenientFrames
                ),
                logger: logger
            )
        } catch {
            Daemonizer.report("cannot open the server's storage: \(error)")
            throw error
        }
        let group = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        let announcer = Task {
            let bound = await server.port()
            do {
                try pidFile.write()
            } catch {
                Daemonizer.report("cannot write the pid file \(pidFile.path): \(error)")
                return
            }
            if let chdir, !FileManager.default.changeCurrentDirectoryPath(chdir) {
                logger.warning("cannot change into \(chdir)")
            }
            logger.notice("server ready on port \(bound), pid \(getpid())")
            Daemonizer.report(Daemonizer.readyMessage)
        }
        defer {
            announcer.cancel()
            pidFile.remove()
        }
        do {
            try await group.run()
        } catch {
            Daemonizer.report("server stopped: \(error)")
            throw error
        }
    }
}

struct StopServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Stop the persistence server whose pid file is given, and wait for it to exit."
    )

    @Argument(help: "The pid file given to `start server`.")
    var pidfile: String

    func run() async throws {
        try Daemonizer.stop(pidFile: PidFile(path: absolute(pidfile)), name: "Hypergolix server")
        print("Hypergolix server stopped")
    }
}

/// Relative paths are taken against the directory `start` ran in, before the daemon changes directory.
func absolute(_ path: String) -> String {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
    return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
}
