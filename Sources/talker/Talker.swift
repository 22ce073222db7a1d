import ArgumentParser
import Foundation
import Logging
import Mesh
import TalkerServer

/// `talker`: a chat server for line-oriented clients (`nc -C localhost 8889`) that links with
/// other talkers into a mesh.
@main
struct Talker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "talker",
        abstract: "A line-protocol chat server whose instances link into a mesh.",
        discussion: """
            Clients connect with `nc -C HOST PORT` and type lines; /help lists the commands. \
            Servers link with the /peer-listen and /peer-connect commands, or with the options below.
            """
    )

    @Option(help: "Address to accept clients on.")
    var host = "127.0.0.1"

    @Option(help: "Port to accept clients on; 0 picks a free one.")
    var port = 8889

    @Option(
        name: .customLong("peer-listen"),
        help: ArgumentHelp("Accept server links there, as /peer-listen does. Repeatable.", valueName: "host:port")
    )
    var peerListen: [HostPort] = []

    @Option(
        name: .customLong("peer-connect"),
        help: ArgumentHelp("Link to the server listening there, as /peer-connect does. Repeatable.", valueName: "host:port")
    )
    var peerConnect: [HostPort] = []

    @Option(help: "Longest line a client may send, in bytes.")
    var maxLineLength = 2048

    @Option(help: "Bytes queued for a client that is not reading before lines to it are dropped.")
    var clientQueueLimit = 64 << 10

    @Option(help: "Least severe log messages shown (on standard error).")
    var logLevel: LogLevel = .info

    mutating func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard (16...(1 << 20)).contains(maxLineLength) else {
            throw ValidationError("--max-line-length must be 16 to 1048576")
        }
        guard clientQueueLimit >= 1024 else {
            throw ValidationError("--client-queue-limit must be at least 1024")
        }
    }

    func run() async throws {
        let level = logLevel.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = TalkerConfiguration()
        configuration.maximumLineLength = maxLineLength
        configuration.clientQueueLimit = clientQueueLimit
        let logger = Logger(label: "talker")
        let server = TalkerServer(configuration: configuration, logger: logger)
        let stop = SignalWatcher(signals: [SIGINT, SIGTERM])
        let bound = try await server.start(host: host, port: port)
        // Scripts and the end-to-end tests read this line to learn the port.
        announce("talker: server \(server.mesh.id.shortDescription) accepting clients on \(Endpoint(host: host, port: bound))")
        for endpoint in peerListen {
            let peerPort = try await server.mesh.listen(host: endpoint.host, port: endpoint.port)
            announce("talker: listening for peers on \(Endpoint(host: endpoint.host, port: peerPort))")
        }
        for endpoint in peerConnect {
            do {
                let peer = try await server.mesh.connect(host: endpoint.host, port: endpoint.port)
                announce("talker: linked to server \(peer.shortDescription) at \(endpoint.host):\(endpoint.port)")
            } catch {
                logger.error("cannot link to \(endpoint.host):\(endpoint.port): \(error)")
            }
        }
        let signal = await stop.next()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await server.shutdown()
    }

    private func announce(_ line: String) {
        // Unbuffered, so that a parent process reading the pipe sees it at once.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// `HOST:PORT`, with IPv6 hosts in brackets (`[::1]:9999`).
struct HostPort: ExpressibleByArgument {
    let host: String
    let port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"),
            let port = Int(argument[argument.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}

/// A log level as the command line spells it.
struct LogLevel: ExpressibleByArgument, CustomStringConvertible {
    let level: Logger.Level

    static let info = LogLevel(level: .info)

    init(level: Logger.Level) {
        self.level = level
    }

    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }

    var description: String { level.rawValue }

    static var allValueStrings: [String] {
        Logger.Level.allCases.map(\.rawValue)
    }
}
