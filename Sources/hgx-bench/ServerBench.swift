import ArgumentParser
import Foundation
import Golix
import HypergolixWire
import Logging
import Synchronization

/// Publishes/s, gets/s and fan-out latency of a persistence server over loopback WebSockets.
struct ServerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Benchmark our persistence server (durable SQLite) and, if the interop venv exists, the original."
    )

    @Option(help: "Suite 3 objects to publish (half bindings, half containers).")
    var objects = 20_000

    @Option(help: "Suite 1 objects to publish (each costs two RSA signatures to prepare).")
    var suite1Objects = 4_000

    @Option(help: "Objects for the original server (it is slow; suite 1 only).")
    var originalObjects = 600

    @Option(help: "Connections publishing at once.")
    var connections = 4

    @Option(help: "Subscribers for the fan-out measurement.")
    var subscribers = 1000

    @Option(help: "Fan-out rounds.")
    var rounds = 30

    @Option(help: "The original's venv (skipped if missing).")
    var venv = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/hgx-interop/venv").path

    @Flag(help: "Skip the original server.")
    var skipOriginal = false

    func run() async throws {
        let ours = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("hypergolix").path
        guard FileManager.default.isExecutableFile(atPath: ours) else {
            throw BenchFailure("build the hypergolix executable first (swift build -c release)")
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .critical

        report("== our server (SQLite, durable), \(connections) publishing connections")
        let ourResults = try await measure(name: "ours", executable: ours, suites: [.suite3, .suite1],
                                           counts: [.suite3: objects, .suite1: suite1Objects], logger: logger)

        let original = "\(venv)/bin/hypergolix"
        guard !skipOriginal, FileManager.default.isExecutableFile(atPath: original) else {
            report("(original server skipped: \(original) not found)")
            return
        }
        report("== original Hypergolix 0.1.0 server (file cache)")
        let originalResults = try await measure(
            name: "original", executable: original, suites: [.suite1], counts: [.suite1: originalObjects], logger: logger,
            extraArguments: ["--verbosity", "error"], fanOutRounds: 5
        )
        report("== ratios (ours / original)")
        for (key, value) in originalResults.sorted(by: { $0.key < $1.key }) {
            guard let mine = ourResults[key], value > 0 else { continue }
            let ratio = key.contains("ms") ? value / mine : mine / value
            report("  \(key): \(String(format: "%.1f", ratio))x better")
        }
    }

    /// Returns named figures: rates in ops/s, latencies in ms.
    func measure(
        name: String, executable: String, suites: [CipherSuite], counts: [CipherSuite: Int], logger: Logger,
        extraArguments: [String] = [], fanOutRounds: Int? = nil
    ) async throws -> [String: Double] {
        let port = Int.random(in: 30_000...39_000)
        let server = try ServerProcess(name: name, executable: executable, extraArguments: extraArguments, port: port)
        defer { server.stop() }
        var figures = [String: Double]()
        var lastGhids = [Ghid]()
        for suite in suites {
            let author = try PrivateIdentity.generate(cipherSuite: suite)
            let count = counts[suite] ?? 1000
            report("  preparing \(count) suite-\(suite.rawValue) objects…")
            let (objects, ghids) = try await Self.makeObjects(author: author, count: count)
            let setup = try await PersistenceClient.connect(host: "127.0.0.1", port: port, logger: logger)
            try await setup.publish(author.identity.serialized())
            await setup.close()
            let seconds = try await Self.publish(objects, port: port, connections: connections, logger: logger)
            let rate = Double(objects.count) / seconds
            figures["publish suite \(suite.rawValue) /s"] = rate
            report("  publish suite \(suite.rawValue): \(Int(rate)) objects/s (\(objects.count) in \(String(format: "%.2f", seconds)) s)")
            lastGhids = ghids
        }
        let getSeconds = try await Self.get(lastGhids, port: port, connections: connections, logger: logger)
        let getRate = Double(lastGhids.count) / getSeconds
        figures["get /s"] = getRate
        report("  get: \(Int(getRate)) objects/s")

        let fanOut = try await Self.fanOut(
            port: port, subscribers: subscribers, rounds: fanOutRounds ?? rounds, suite: suites[0], logger: logger)
        figures["fan-out p50 ms"] = fanOut.p50
        report("  fan-out to \(subscribers) subscribers: p50 \(String(format: "%.1f", fanOut.p50)) ms, "
            + "p99 \(String(format: "%.1f", fanOut.p99)) ms (\(fanOut.rounds) rounds)")
        report("  server peak RSS: \(String(format: "%.1f", server.peakRSS)) MiB")
        return figures
    }

    /// Static objects, binding before container as clients must publish them; made on every core.
    static func makeObjects(author: PrivateIdentity, count: Int) async throws -> ([[UInt8]], [Ghid]) {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let parts = try await withThrowingTaskGroup(of: (Int, [[UInt8]], [Ghid]).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var objects = [[UInt8]]()
                    var ghids = [Ghid]()
                    for index in stride(from: worker, to: count / 2, by: workers) {
                        let payload = Array("object \(index)".utf8) + [UInt8](repeating: 7, count: 200)
                        let container = try author.makeContainer(payload, secret: .random())
                        objects.append(try author.makeStaticBinding(target: container.ghid).serialized())
                        objects.append(container.serialized())
                        ghids.append(container.ghid)
                    }
                    return (worker, objects, ghids)
                }
            }
            return try await group.reduce(into: [(Int, [[UInt8]], [Ghid])]()) { $0.append($1) }.sorted { $0.0 < $1.0 }
        }
        return (parts.flatMap(\.1), parts.flatMap(\.2))
    }

    /// Pipelines requests over `connections` lean connections; returns the elapsed seconds. Each binding
    /// stays on one connection with its container, in order, as a client must publish them.
    static func pipeline(_ code: RequestCode, _ bodies: [[UInt8]], port: Int, connections: Int) async throws -> Double {
        let pairs = stride(from: 0, to: bodies.count, by: 2).map { bodies[$0..<min($0 + 2, bodies.count)] }
        let shares = (0..<connections).map { share in
            stride(from: share, to: pairs.count, by: connections).flatMap { Array(pairs[$0]) }
        }
        let start = ContinuousClock.now
        let refused = try await withThrowingTaskGroup(of: Int.self) { group in
            for share in shares where !share.isEmpty {
                group.addTask { try await RawPeer.pipeline(port: port, code: code, bodies: share[...]) }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - start
        if refused > 0 { report("  (\(refused) of \(bodies.count) \(code) requests refused)") }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func publish(_ objects: [[UInt8]], port: Int, connections: Int, logger: Logger) async throws -> Double {
        try await pipeline(.publish, objects, port: port, connections: connections)
    }

    static func get(_ ghids: [Ghid], port: Int, connections: Int, logger: Logger) async throws -> Double {
        try await pipeline(.get, ghids.map(\.bytes), port: port, connections: connections)
    }

    /// Time from publishing a frame's container (which releases the push) until every subscriber has it.
    static func fanOut(port: Int, subscribers: Int, rounds: Int, suite: CipherSuite, logger: Logger) async throws
        -> (p50: Double, p99: Double, rounds: Int)
    {
        let author = try PrivateIdentity.generate(cipherSuite: suite)
        let publisher = try await PersistenceClient.connect(host: "127.0.0.1", port: port, logger: logger)
        try await publisher.publish(author.identity.serialized())
        var containers = [try author.makeContainer([0], secret: .random())]
        let first = try author.makeDynamicBinding(targets: [containers[0].ghid], counter: 0, dynamic: nil)
        try await publisher.publish(first.serialized())
        try await publisher.publish(containers[0].serialized())
        let counter = ArrivalCounter()
        let subscribed = SubscribedCount()
        var peers = [RawPeer.Subscriber]()
        for _ in 0..<subscribers {
            peers.append(RawPeer.Subscriber(port: port, subscription: first.dynamicGhid.bytes, onPush: { await counter.arrived() },
                                            subscribed: { subscribed.add() }))
        }
        let ready = ContinuousClock.now + .seconds(120)
        while subscribed.value < subscribers, ContinuousClock.now < ready { try await Task.sleep(for: .milliseconds(20)) }
        defer {
            for peer in peers { peer.stop() }
            Task { await publisher.close() }
        }
        var samples = [Double]()
        for round in 1...rounds {
            // Unique payloads: a 1-byte container would repeat a ghid within a few dozen rounds.
            let container = try author.makeContainer(Array("round \(round) \(UUID())".utf8), secret: .random())
            let frame = try author.makeDynamicBinding(
                targets: [container.ghid] + containers.reversed().prefix(7).map(\.ghid), counter: UInt64(round), dynamic: first.dynamicGhid)
            containers.append(container)
            try await publisher.publish(frame.serialized())
            await counter.reset(expecting: subscribers)
            let start = ContinuousClock.now
            try await publisher.publish(container.serialized())
            guard await counter.waitForAll(timeout: .seconds(60)) else { throw BenchFailure("fan-out round \(round) incomplete") }
            let elapsed = ContinuousClock.now - start
            samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        samples.sort()
        return (samples[samples.count / 2], samples[min(samples.count - 1, samples.count * 99 / 100)], samples.count)
    }
}

/// Subscriptions confirmed so far (counted from the subscribers' reader tasks).
final class SubscribedCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

actor ArrivalCounter {
    private var count = 0
    private var expected = Int.max
    private var waiter: CheckedContinuation<Void, Never>?

    func reset(expecting: Int) {
        count = 0
        expected = expecting
    }

    func arrived() {
        count += 1
        if count >= expected, let waiter {
            self.waiter = nil
            waiter.resume()
        }
    }

    func waitForAll(timeout: Duration) async -> Bool {
        if count >= expected { return true }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.giveUp()
        }
        await withCheckedContinuation { waiter = $0 }
        timer.cancel()
        return count >= expected
    }

    private func giveUp() {
        waiter?.resume()
        waiter = nil
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out = [T]()
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
