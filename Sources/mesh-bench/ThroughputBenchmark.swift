import NIOCore

/// Lines per second through one talker server: one speaker pipelines lines as fast as the
/// server takes them, and every client (the speaker included) counts the lines it hears.
struct ThroughputBenchmark {
    let lines: Int
    let listeners: Int
    let lineLength: Int

    struct Result {
        let elapsed: Duration
        let delivered: Int
        let expected: Int

        var linesPerSecond: Double { Double(delivered) / Double(expectedClients) / elapsed.seconds }
        var deliveriesPerSecond: Double { Double(delivered) / elapsed.seconds }
        var dropped: Int { expected - delivered }
        let expectedClients: Int
    }

    func run(port: Int) async throws -> Result {
        let speaker = try await BenchClient.connect(port: port)
        var clients = [speaker]
        for _ in 0..<listeners {
            clients.append(try await BenchClient.connect(port: port))
        }
        let batchSize = 256
        var line = String(repeating: "x", count: max(1, lineLength - 2))
        line += "\r\n"
        var batch = ByteBuffer()
        for _ in 0..<batchSize { batch.writeString(line) }
        var remainder = ByteBuffer()
        for _ in 0..<(lines % batchSize) { remainder.writeString(line) }

        let start = ContinuousClock.now
        for _ in 0..<(lines / batchSize) {
            speaker.send(batch)
        }
        if remainder.readableBytes > 0 { speaker.send(remainder) }

        // Every client already has its welcome line; each must hear every line once.
        var delivered = 0
        var end = start
        for client in clients {
            _ = try await client.waitFor(lines: lines + 1, timeout: .seconds(5))
            delivered += client.progress.count - 1
            if let last = client.progress.lastArrival, last > end { end = last }
        }
        for client in clients { await client.close() }
        return Result(elapsed: end - start, delivered: delivered, expected: lines * clients.count, expectedClients: clients.count)
    }
}
