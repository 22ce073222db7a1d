import ArgumentParser
import Foundation
import TalkerServer

/// `mesh-bench`: throughput of one talker server and latency across a chain of them.
/// Build in release: `swift run -c release mesh-bench`.
@main
struct MeshBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mesh-bench",
        abstract: "Lines/s through one talker server; latency of a line across a chain of servers."
    )

    @Option(help: "Lines the speaker sends per throughput run.")
    var lines = 200_000

    @Option(help: "Clients listening besides the speaker.")
    var listeners = 4

    @Option(help: "Bytes per line, CRLF included.")
    var lineLength = 64

    @Option(help: "Throughput runs; the median is reported.")
    var runs = 3

    @Option(help: "Servers in the latency chain.")
    var chain = 5

    @Option(help: "Latency samples, after 200 warm-up lines.")
    var samples = 5_000

    @Option(help: "The servers' per-client queue limit in bytes. Larger than the default, so that clients sharing the benchmark's CPUs do not get lines dropped.")
    var clientQueueLimit = 16 << 20

    @Flag(help: "Run each server as a `talker` process (built next to this binary) instead of in this process.")
    var processes = false

    mutating func validate() throws {
        guard lines > 0, listeners >= 0, runs > 0, chain >= 2, samples > 0, lineLength >= 3 else {
            throw ValidationError("counts must be positive, --chain at least 2, --line-length at least 3")
        }
    }

    func run() async throws {
        #if DEBUG
        print("warning: debug build; the numbers that count come from `swift run -c release mesh-bench`")
        #endif
        let mode = processes ? "one talker process per server" : "servers in the benchmark's process"
        print("mesh-bench: loopback, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(mode), client queue limit \(clientQueueLimit) bytes")

        var configuration = TalkerConfiguration()
        configuration.maximumLineLength = max(configuration.maximumLineLength, lineLength)
        configuration.clientQueueLimit = clientQueueLimit
        let binary = processes ? try talkerBinary() : nil

        print("")
        print("throughput through one server: 1 speaker + \(listeners) listeners, \(lines) lines of \(lineLength) bytes")
        let single = try await fleet(count: 1, chained: false, configuration: configuration, binary: binary)
        var results: [ThroughputBenchmark.Result] = []
        do {
            let benchmark = ThroughputBenchmark(lines: lines, listeners: listeners, lineLength: lineLength)
            _ = try await ThroughputBenchmark(lines: min(lines, 20_000), listeners: listeners, lineLength: lineLength)
                .run(port: single.clientPorts[0])
            for run in 1...runs {
                let result = try await benchmark.run(port: single.clientPorts[0])
                results.append(result)
                print(
                    "  run \(run): \(format(result.linesPerSecond)) lines/s in, "
                        + "\(format(result.deliveriesPerSecond)) lines/s delivered to clients, "
                        + "\(result.dropped) dropped, \(String(format: "%.2f", result.elapsed.seconds)) s"
                )
            }
        } catch {
            await single.shutdown()
            throw error
        }
        await single.shutdown()
        let median = results.sorted { $0.linesPerSecond < $1.linesPerSecond }[results.count / 2]
        print("  median: \(format(median.linesPerSecond)) lines/s in, \(format(median.deliveriesPerSecond)) lines/s delivered")

        print("")
        print("latency of a line across a chain of \(chain) servers (\(chain - 1) mesh links), \(samples) samples:")
        let chained = try await fleet(count: chain, chained: true, configuration: configuration, binary: binary)
        let latencies: [Duration]
        do {
            latencies = try await ChainLatencyBenchmark(samples: samples, warmup: 200)
                .run(firstPort: chained.clientPorts[0], lastPort: chained.clientPorts[chain - 1])
        } catch {
            await chained.shutdown()
            throw error
        }
        await chained.shutdown()
        let percentiles = Percentiles(latencies)
        print(
            "  p50 \(micro(percentiles.at(50)))  p90 \(micro(percentiles.at(90)))  p99 \(micro(percentiles.at(99)))  "
                + "min \(micro(percentiles.minimum))  max \(micro(percentiles.maximum))"
        )
    }

    private func fleet(count: Int, chained: Bool, configuration: TalkerConfiguration, binary: URL?) async throws -> ServerFleet {
        if let binary {
            let options = ["--client-queue-limit", "\(clientQueueLimit)", "--max-line-length", "\(configuration.maximumLineLength)"]
            return try await ServerFleet.processes(count: count, chained: chained, binary: binary, options: options)
        }
        return try await ServerFleet.inProcess(count: count, chained: chained, configuration: configuration)
    }

    private func talkerBinary() throws -> URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let binary = here.appendingPathComponent("talker")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BenchError("no talker next to mesh-bench; build it first: swift build -c release --product talker")
        }
        return binary
    }

    private func format(_ value: Double) -> String {
        value >= 1e6 ? String(format: "%.2fM", value / 1e6) : String(format: "%.0fk", value / 1e3)
    }

    private func micro(_ duration: Duration) -> String {
        String(format: "%.0f µs", duration.microseconds)
    }
}
