import ArgumentParser
import Foundation
import Golix
import HGX
import HGXDemos
import HypergolixDaemon
import HypergolixServer
import Logging
import UnixSignals

/// `hypergolix demo`: the whole system on one machine, with nothing to configure.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a local demo: a persistence server, two daemons for two new users, and the echo exchange between their apps.",
        discussion: """
            Everything runs on loopback with temporary state (SQLite in a temporary directory, free ports) \
            and is removed afterwards, also on Ctrl-C. Alice's app shares a request object with Bob; Bob's \
            app answers with a response object that mirrors every update Alice makes; the round trips are timed.
            """
    )

    @Option(help: "Timed round trips.")
    var rounds = 10

    @Option(help: "Cipher suite for the two new identities: 3 (modern) or 1 (the original's RSA-4096).")
    var cipherSuite: UInt8 = 3

    @Flag(help: "Log what the server and daemons do.")
    var verbose = false

    func validate() throws {
        guard CipherSuite(rawValue: cipherSuite) != nil else { throw ValidationError("--cipher-suite must be 1 or 3") }
        guard (1...10_000).contains(rounds) else { throw ValidationError("--rounds must be 1…10000") }
    }

    func run() async throws {
        Logging.bootstrap(level: verbose ? .info : .error)
        let suite = CipherSuite(rawValue: cipherSuite) ?? .suite3
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hypergolix-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let work = Task { try await Self.play(in: directory, suite: suite, rounds: rounds) }
        // Ctrl-C or a TERM stops the demo and still cleans up.
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let interrupts = Task {
            for await _ in signals {
                work.cancel()
                break
            }
        }
        defer {
            interrupts.cancel()
            try? FileManager.default.removeItem(at: directory)
        }
        do {
            try await work.value
        } catch where work.isCancelled {
            // Interrupted: whatever the demo was waiting for failed on the way out; that is not news.
            say("Interrupted: stopped everything and removed \(directory.path).")
            throw ExitCode(130)
        }
        say("Stopped the daemons and the server; removed \(directory.path).")
    }

    static func play(in directory: URL, suite: CipherSuite, rounds: Int) async throws {
        say("Hypergolix demo: a persistence server and two daemons on loopback, with temporary state in \(directory.path)")
        let server = try PersistenceServer(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, cacheDirectory: directory.appendingPathComponent("server").path),
            logger: Logger(label: "demo.server"))
        let serverTask = Task { try await server.run() }
        let port = await server.port()
        say("  server: listening on 127.0.0.1:\(port), objects in SQLite")
        var daemons = [Daemon]()
        var links = [HGXLink]()
        do {
            let remote = HGXConfiguration.Remote(host: "127.0.0.1", port: port, tls: false)
            for name in ["alice", "bob"] {
                let daemon = try await Daemon.start(
                    configuration: DaemonConfiguration(directory: directory.appendingPathComponent(name), ipcPort: 0, remotes: [remote]),
                    login: .create(password: nil, rootSecret: .random(cipherSuite: .suite1), cipherSuite: suite),
                    logger: Logger(label: "demo.\(name)"))
                daemons.append(daemon)
                guard await daemon.waitForRemotes() else { throw CommandFailure("\(name)'s daemon could not reach the server") }
                let ipcPort = await daemon.ipcPort()
                say("  \(name): new account (cipher suite \(suite.rawValue)), fingerprint \(short(daemon.fingerprint)), apps connect to 127.0.0.1:\(ipcPort)")
                links.append(try await HGXLink.connect(ipcPort: ipcPort))
            }
            let (alice, bob) = (links[0], links[1])
            try Task.checkCancellation()
            let responder = try await EchoDemo.startResponder(link: bob) { event in say("  bob: \(event)") }
            say("  bob's app: echo responder running")
            let times = try await EchoDemo.runRequester(link: alice, responder: bob.whoami, rounds: rounds) { event in
                say("  alice: \(event)")
            }
            await responder.stop()
            say("Round trips (alice pushes an update → bob's app mirrors it → alice's app sees the mirror): "
                + "median \(EchoDemo.milliseconds(EchoDemo.median(times))) over \(times.count) rounds, "
                + "fastest \(EchoDemo.milliseconds(times.min() ?? .zero)), slowest \(EchoDemo.milliseconds(times.max() ?? .zero))")
        } catch {
            await shutDown(links: links, daemons: daemons, server: serverTask)
            throw error
        }
        await shutDown(links: links, daemons: daemons, server: serverTask)
    }

    static func shutDown(links: [HGXLink], daemons: [Daemon], server: Task<Void, any Error>) async {
        for link in links { await link.stop() }
        for daemon in daemons { await daemon.stop() }
        server.cancel()
        _ = await server.result
    }

    static func short(_ ghid: Ghid) -> String { String(ghid.base64.prefix(12)) + "…" }
}

/// Output as it happens, even into a pipe.
func say(_ line: String) {
    print(line)
    fflush(nil)
}
