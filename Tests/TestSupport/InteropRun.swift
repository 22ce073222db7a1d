import Foundation

/// One run of the interop toolkit's three roles (server, alice, bob), each played by the original Python
/// Hypergolix ("py") or by our binary ("cmd"), in a private state directory on its own ports.
///
/// Only one run at a time may start daemons: the original's `start app` uses the fixed boot-log port 7771
/// and its server the fixed health port 7777. ``InteropLock`` serialises them across test suites.
public final class InteropRun: @unchecked Sendable {
    public enum Implementation: String, Sendable, CaseIterable {
        case py, cmd
    }

    public let server: Implementation
    public let alice: Implementation
    public let bob: Implementation
    public let home: URL
    public let serverPort: Int
    public let alicePort: Int
    public let bobPort: Int
    /// Extra flags for `hypergolix config` of our binary (e.g. `--cipher-suite 1` in mixed runs).
    public let configArguments: String

    public init(server: Implementation, alice: Implementation, bob: Implementation, configArguments: String = "") throws {
        self.server = server
        self.alice = alice
        self.bob = bob
        self.configArguments = configArguments
        home = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-interop-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let base = Int.random(in: 20_000...29_000)
        (serverPort, alicePort, bobPort) = (base, base + 2, base + 3)
    }

    public var interop: URL {
        get throws {
            guard let directory = InteropEnvironment.interopDirectory else { throw InteropFailure("no interop toolkit") }
            return directory
        }
    }

    public var environment: [String: String] {
        var environment = [
            "HGX_INTEROP_HOME": home.path,
            "HGX_VENV": InteropEnvironment.venvPython.deletingLastPathComponent().deletingLastPathComponent().path,
            "HGX_CMD": Binary.url.path,
            "HGX_SERVER_IMPL": server.rawValue,
            "HGX_ALICE_IMPL": alice.rawValue,
            "HGX_BOB_IMPL": bob.rawValue,
            "HGX_SERVER_PORT": String(serverPort),
            "HGX_ALICE_IPC": String(alicePort),
            "HGX_BOB_IPC": String(bobPort),
            "RESET": "1",
        ]
        if !configArguments.isEmpty { environment["HGX_CMD_CONFIG_ARGS"] = configArguments }
        return environment
    }

    public var description: String { "server=\(server.rawValue) alice=\(alice.rawValue) bob=\(bob.rawValue)" }

    /// `start.sh`: all three roles up, or a failure with the console logs.
    ///
    /// The original's fixed ports (7771 while an app starts, 7777 for its server's health check) may still
    /// be held for a moment by a previous run's processes as they exit: wait for them first.
    public func start() async throws {
        for port in [7771, 7777] {
            let deadline = ContinuousClock.now + .seconds(60)
            while Self.isListening(port), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
        }
        let result = try await Subprocess.run(URL(fileURLWithPath: "/bin/bash"), [try interop.appendingPathComponent("start.sh").path],
                                        environment: environment)
        guard result.status == 0 else {
            throw InteropFailure("start.sh failed for \(description):\n\(result.output)\n\(result.error)\n\(consoleLogs())")
        }
    }

    /// `demo_share.py`: returns its last line ("PASS: …") or throws with its whole output.
    public func demo(updates: Int = 20) async throws -> String {
        let result = try await Subprocess.run(
            InteropEnvironment.venvPython,
            // Per-step timeout 60 s instead of 20: CI runs every suite at once on two cores.
            [try interop.appendingPathComponent("demo_share.py").path, "--updates", String(updates), "--timeout", "60",
             "--alice-port", String(alicePort), "--bob-port", String(bobPort)],
            environment: environment
        )
        let lines = result.output.split(separator: "\n").map(String.init)
        guard result.status == 0, let last = lines.last, last.hasPrefix("PASS") else {
            throw InteropFailure("demo_share.py failed (status \(result.status)) for \(description):\n\(result.output)\n\(result.error)\n\(consoleLogs())")
        }
        return last
    }

    private var stopped = false

    /// `stop.sh`: stops only the processes this run started, by pid. It can take a while (the original
    /// daemons need up to 15 s to exit), so it waits on its own thread, never on the concurrency pool.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        _ = try? await Subprocess.run(URL(fileURLWithPath: "/bin/bash"), [try interop.appendingPathComponent("stop.sh").path],
                                      environment: environment)
    }

    /// Whether anything listens on a loopback TCP port (read from /proc; never connects, which would
    /// disturb the original's boot-log handshake on 7771).
    static func isListening(_ port: Int) -> Bool {
        let hex = String(format: ":%04X", port)
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            // procfs reports a size of 0: read to the end rather than by size.
            let fd = open(table, O_RDONLY)
            guard fd >= 0 else { continue }
            let text = String(decoding: Subprocess.readToEnd(fd), as: UTF8.self)
            close(fd)
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if fields.count > 3, fields[1].hasSuffix(hex), fields[3] == "0A" { return true }
            }
        }
        return false
    }

    /// The daemons' state: HOMEs with their `.hypergolix` directories.
    public func stateDirectory(_ role: String) -> URL {
        home.appendingPathComponent("state").appendingPathComponent(role)
    }

    public func fingerprint(_ role: String) -> String? {
        (try? String(contentsOf: home.appendingPathComponent("run/\(role).fingerprint"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What the roles printed and logged, for failure reports.
    public func consoleLogs() -> String {
        let run = home.appendingPathComponent("run")
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: run.path)) ?? []
        return files.filter { $0.hasSuffix(".log") }.sorted().map { name -> String in
            let text = (try? String(contentsOf: run.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return "--- \(name)\n" + text.split(separator: "\n").suffix(40).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    deinit {
        // Only if a test forgot to stop it (or threw first): then blocking here is the lesser evil.
        if !stopped {
            _ = try? Subprocess.runBlocking(URL(fileURLWithPath: "/bin/bash"), [try interop.appendingPathComponent("stop.sh").path],
                                            environment: environment, input: nil)
        }
        try? FileManager.default.removeItem(at: home)
    }
}

public struct InteropFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Serialises interop runs that start daemons (fixed ports 7771 and 7777 in the original).
public actor InteropLock {
    public static let shared = InteropLock()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
