import NIOCore

/// Latency of one line from a client on the first server of a chain to a client on the last:
/// one line in flight at a time, so it measures the path, not queueing.
struct ChainLatencyBenchmark {
    let samples: Int
    let warmup: Int

    func run(firstPort: Int, lastPort: Int) async throws -> [Duration] {
        let sender = try await BenchClient.connect(port: firstPort)
        let receiver = try await BenchClient.connect(port: lastPort, reportsArrivals: true)
        defer {
            Task {
                await sender.close()
                await receiver.close()
            }
        }
        return try await withThrowingTaskGroup(of: [Duration]?.self) { group in
            group.addTask {
                var arrivals = receiver.progress.arrivals.makeAsyncIterator()
                var latencies: [Duration] = []
                latencies.reserveCapacity(samples)
                for index in 0..<(warmup + samples) {
                    let sent = ContinuousClock.now
                    sender.send(ByteBuffer(string: "ping \(index)\r\n"))
                    guard let arrival = await arrivals.next() else { return nil }
                    if index >= warmup {
                        latencies.append(arrival - sent)
                    }
                }
                return latencies
            }
            group.addTask {
                // A lost line would otherwise hang the benchmark.
                try await Task.sleep(for: .seconds(120))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let latencies = first else {
                throw BenchError("a line got lost on the way through the chain")
            }
            return latencies
        }
    }
}
