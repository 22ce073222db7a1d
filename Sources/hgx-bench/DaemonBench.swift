import ArgumentParser
import Foundation
import Golix
import HypergolixWire
#if canImport(Glibc)
import Glibc
#endif

/// Push → remote callback latency through two daemons and one server, idle RSS and first-start time.
struct DaemonBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Benchmark update latency between two daemons (ours per suite, and the original's via the interop toolkit)."
    )

    @Option(help: "Updates to time per run.")
    var updates = 200

    @Option(help: "Cipher suites for our daemons (3, 1).")
    var suite: [UInt8] = [3, 1]

    @Option(help: "The interop toolkit directory (../shared/interop), to measure the original daemons too.")
    var interop: String?

    @Option(help: "The original's venv.")
    var venv = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/hgx-interop/venv").path

    func run() async throws {
        let ours = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("hypergolix").path
        guard FileManager.default.isExecutableFile(atPath: ours) else { throw BenchFailure("build hypergolix first (swift build -c release)") }
        for suite in self.suite.compactMap(CipherSuite.init(rawValue:)) {
            report("== ours, cipher suite \(suite.rawValue)")
            let world = try await OurWorld(executable: ours, suite: suite)
            defer { world.stop() }
            report("  first start (account creation): \(String(format: "%.0f", world.firstStart * 1000)) ms")
            try await measure(alicePort: world.alicePort, bobPort: world.bobPort)
            try await Task.sleep(for: .seconds(2))
            report("  daemon RSS after the run, idle: \(String(format: "%.1f", world.rss(world.alice))) MiB")
        }
        if let interop {
            report("== original Hypergolix 0.1.0 (server and both daemons), same harness")
            let run = try OriginalWorld(interop: interop, venv: venv)
            defer { run.stop() }
            try await measure(alicePort: run.alicePort, bobPort: run.bobPort)
        }
    }

    func measure(alicePort: Int, bobPort: Int) async throws {
        let alice = try await IPCProbe(port: alicePort)
        let bob = try await IPCProbe(port: bobPort)
        defer { Task { await alice.close(); await bob.close() } }
        let api = ApiID.named("hgx-bench \(UUID())")
        try await bob.register(api)
        let ghid = try await alice.new(Array("{\"n\":-1}".utf8), apiID: api)
        try await alice.share(ghid, with: try await bob.whoami())
        let deadline = ContinuousClock.now + .seconds(60)
        while await !bob.arrivals.shares.contains(ghid) {
            guard ContinuousClock.now < deadline else { throw BenchFailure("the share never arrived") }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await bob.get(ghid)
        var samples = [Double]()
        for index in 0..<(updates + 10) {
            let state = Array("{\"n\":\(index)}".utf8)
            let start = ContinuousClock.now
            try await alice.update(ghid, state)
            let arrived = await bob.arrivals.arrival(of: state)
            if index >= 10 { samples.append((arrived - start).milliseconds) }
        }
        samples.sort()
        let p50 = samples[samples.count / 2]
        let p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
        report("  push → remote callback over \(samples.count) updates: p50 \(String(format: "%.2f", p50)) ms, "
            + "p99 \(String(format: "%.2f", p99)) ms, max \(String(format: "%.2f", samples.last ?? 0)) ms")
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

/// Our server and two of our daemons, as processes, each user with its own HOME.
final class OurWorld {
    let root: URL
    let server: ServerProcess
    let alice: pid_t
    let bob: pid_t
    let alicePort: Int
    let bobPort: Int
    let firstStart: Double

    init(executable: String, suite: CipherSuite) async throws {
        let base = Int.random(in: 30_000...39_000)
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-bench-daemons-\(getpid())-\(base)")
        server = try ServerProcess(name: "ours", executable: executable, port: base)
        alicePort = base + 2
        bobPort = base + 3
        var started = [Double]()
        var pids = [pid_t]()
        for (name, port) in [("alice", alicePort), ("bob", bobPort)] {
            let home = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            let environment = ["HOME": home.path]
            try Self.run(executable, ["config", "--addhost", "127.0.0.1", String(base), "False", "--ipc-port", String(port),
                                      "--cipher-suite", String(suite.rawValue)], environment: environment)
            let start = ContinuousClock.now
            try Self.run(executable, ["start", "app"], environment: environment, input: "bench-password\nbench-password\n")
            started.append((ContinuousClock.now - start).milliseconds / 1000)
            let pidText = try String(contentsOf: home.appendingPathComponent(".hypergolix/hypergolix.pid"), encoding: .utf8)
            pids.append(pid_t(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
        }
        alice = pids[0]
        bob = pids[1]
        firstStart = started.sorted()[0]
    }

    func rss(_ pid: pid_t) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib / 1024
    }

    func stop() {
        for pid in [alice, bob] where pid > 0 {
            kill(pid, SIGTERM)
        }
        for pid in [alice, bob] where pid > 0 {
            for _ in 0..<100 where kill(pid, 0) == 0 { usleep(50_000) }
        }
        server.stop()
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs a command to completion (no terminal: passwords come from standard input).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String], input: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchFailure("\(arguments.joined(separator: " ")) failed") }
    }
}

/// The original server and daemons, started by the interop toolkit on private ports and state.
final class OriginalWorld {
    let home: URL
    let interop: String
    let environment: [String: String]
    let alicePort: Int
    let bobPort: Int

    init(interop: String, venv: String) throws {
        let base = Int.random(in: 20_000...29_000)
        home = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-bench-original-\(getpid())")
        self.interop = interop
        alicePort = base + 2
        bobPort = base + 3
        environment = ["HGX_INTEROP_HOME": home.path, "HGX_VENV": venv, "HGX_SERVER_PORT": String(base),
                       "HGX_ALICE_IPC": String(alicePort), "HGX_BOB_IPC": String(bobPort), "RESET": "1",
                       "HGX_SERVER_VERBOSITY": "error", "HGX_APP_VERBOSITY": "quiet"]
        try OurWorld.run("/bin/bash", ["\(interop)/start.sh"], environment: environment)
    }

    func stop() {
        try? OurWorld.run("/bin/bash", ["\(interop)/stop.sh"], environment: environment)
        try? FileManager.default.removeItem(at: home)
    }
}
