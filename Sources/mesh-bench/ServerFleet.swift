import Foundation
import Logging
import Mesh
import TalkerServer

/// The talker servers a benchmark runs against: in this process, or as `talker` processes.
struct ServerFleet {
    let clientPorts: [Int]
    private let stop: () async -> Void

    /// `count` servers in this process; with `chained`, server i dials server i-1.
    static func inProcess(count: Int, chained: Bool, configuration: TalkerConfiguration) async throws -> ServerFleet {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var servers: [TalkerServer] = []
        var clientPorts: [Int] = []
        var peerPorts: [Int] = []
        for index in 0..<count {
            let server = TalkerServer(configuration: configuration, logger: logger)
            servers.append(server)
            clientPorts.append(try await server.start(host: "127.0.0.1", port: 0))
            if chained {
                peerPorts.append(try await server.mesh.listen(host: "127.0.0.1", port: 0))
                if index > 0 {
                    _ = try await server.mesh.connect(host: "127.0.0.1", port: peerPorts[index - 1])
                }
            }
        }
        let fleet = ServerFleet(clientPorts: clientPorts) {
            for server in servers { await server.shutdown() }
        }
        try await fleet.waitUntilMeshed()
        return fleet
    }

    /// `count` `talker` processes started from `binary`, chained as above through their
    /// `--peer-listen` and `--peer-connect` options.
    static func processes(count: Int, chained: Bool, binary: URL, options: [String]) async throws -> ServerFleet {
        var processes: [Process] = []
        var clientPorts: [Int] = []
        var previousPeerPort: Int?
        let stopAll: @Sendable ([Process]) -> Void = { processes in
            for process in processes where process.isRunning { process.terminate() }
            for process in processes { process.waitUntilExit() }
        }
        do {
            for _ in 0..<count {
                var arguments = ["--port", "0", "--log-level", "error"] + options
                if chained {
                    arguments += ["--peer-listen", "127.0.0.1:0"]
                    if let previousPeerPort { arguments += ["--peer-connect", "127.0.0.1:\(previousPeerPort)"] }
                }
                let process = Process()
                process.executableURL = binary
                process.arguments = arguments
                let output = Pipe()
                process.standardOutput = output
                try process.run()
                processes.append(process)
                // talker prints one line per port, then one per link; read what this setup needs.
                let expectedLines = 1 + (chained ? 1 : 0) + (chained && previousPeerPort != nil ? 1 : 0)
                let lines = try readLines(expectedLines, from: output.fileHandleForReading)
                guard let clientPort = lines.first.flatMap(port(in:)) else {
                    throw BenchError("talker did not announce its client port: \(lines)")
                }
                clientPorts.append(clientPort)
                if chained {
                    previousPeerPort = lines.dropFirst().first.flatMap(port(in:))
                }
            }
        } catch {
            stopAll(processes)
            throw error
        }
        let started = processes
        let fleet = ServerFleet(clientPorts: clientPorts) { stopAll(started) }
        try await fleet.waitUntilMeshed()
        return fleet
    }

    /// Blocking reads, before any measurement starts.
    private static func readLines(_ count: Int, from handle: FileHandle) throws -> [String] {
        var text = ""
        while text.split(separator: "\n").count < count {
            let data = handle.availableData
            guard !data.isEmpty else { throw BenchError("talker exited early; output so far: \(text)") }
            text += String(decoding: data, as: UTF8.self)
        }
        return text.split(separator: "\n").map(String.init)
    }

    private static func port(in line: String) -> Int? {
        line.split(separator: ":").last.flatMap { Int($0) }
    }

    /// Asks `/who` on the last server until every server answers.
    private func waitUntilMeshed() async throws {
        guard let last = clientPorts.last, clientPorts.count > 1 else { return }
        let client = try await TalkerClient.connect(port: last)
        defer { Task { await client.close() } }
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            try await client.send("/who")
            if let summary = await client.nextLine(where: { $0.hasPrefix("*** who: ") }),
                summary.hasSuffix("on \(clientPorts.count) servers")
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("the servers did not form one mesh within 30 s")
    }

    func shutdown() async {
        await stop()
    }
}
