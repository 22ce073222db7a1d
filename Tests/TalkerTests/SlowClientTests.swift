import TestSupport
import Testing

@testable import TalkerServer

/// A client that does not read must not hold anyone else up, nor cost unbounded memory.
@Suite(.timeLimit(.minutes(2))) struct SlowClientTests {
    /// Says `count` long lines through `speaker`, in small batches that `listener` must hear
    /// before the next is said, so the listener is never far enough behind to lose lines to
    /// its own queue limit. Returns how many lines the listener heard, in order.
    func chatter(_ count: Int, from speaker: TalkerClient, heardBy listener: TalkerClient) async throws -> Int {
        let padding = String(repeating: "x", count: 1000)
        let batch = 8
        var heard = 0
        for start in stride(from: 0, to: count, by: batch) {
            let end = min(start + batch, count)
            for number in start..<end {
                try await speaker.send("\(number) \(padding)")
            }
            while heard < end {
                guard let line = await listener.nextLine(where: { $0.hasPrefix("speaker: ") }) else { return heard }
                let expected = line.hasPrefix("speaker: \(heard) ")
                #expect(expected, "line \(heard) went missing or came out of order")
                guard expected else { return heard }
                heard += 1
            }
        }
        return heard
    }

    /// The ranges of numbers below `limit` that `numbers` (ascending) skips, for failure messages.
    static func gaps(in numbers: [Int], below limit: Int) -> [Range<Int>] {
        var gaps: [Range<Int>] = []
        var next = 0
        for number in numbers + [limit] {
            if number > next { gaps.append(next..<number) }
            next = number + 1
        }
        return gaps
    }

    @Test func aClientThatStopsReadingMissesLinesAndIsToldSo() async throws {
        var configuration = TalkerCluster.configuration()
        configuration.clientQueueLimit = 16 << 10
        configuration.stuckClientTimeout = .seconds(600)
        try await TalkerCluster.with(1, configuration: configuration) { cluster in
            let speaker = try await cluster.client(of: 0, named: "speaker")
            let listener = try await cluster.client(of: 0, named: "listener")
            let sleeper = try await TalkerClient.connect(port: cluster.clientPorts[0], receiveBufferSize: 4096)
            // Joined only once welcomed: lines said before that are not for it.
            #expect(await sleeper.nextLine()?.hasPrefix("*** welcome") == true)
            try await sleeper.stopReading()
            // Enough to fill the sleeper's socket buffers and its queue many times over.
            let lines = 3000
            #expect(try await chatter(lines, from: speaker, heardBy: listener) == lines)
            try await sleeper.resumeReading()
            let notice = await sleeper.nextLine(where: { $0.hasPrefix("*** ") && $0.contains("dropped") })
            #expect(notice?.hasSuffix("dropped: you were not reading fast enough") == true)
            // It is still connected and hears what comes next. (Lines still on their way to it
            // when it resumed may fill its queue once more, so a try may be dropped too.)
            var attempts = 0
            var caughtUp = false
            while attempts < 10, !caughtUp {
                try await speaker.send("after the gap \(attempts)")
                attempts += 1
                caughtUp = await sleeper.nextLine(timeout: .seconds(5), where: { $0.hasPrefix("speaker: after") }) != nil
            }
            #expect(caughtUp)
            // Every line said is accounted for: heard (in order), or counted in a notice. A notice
            // comes whenever the sleeper catches up, so wait for the last one.
            var heard: [Int] = []
            var heardAfter = 0
            var dropped = 0
            let said = lines + attempts
            await eventually("every line heard or reported dropped") {
                let all = await sleeper.allLines
                heard = all.compactMap { line -> Int? in
                    guard line.hasPrefix("speaker: "), !line.hasPrefix("speaker: after") else { return nil }
                    return Int(line.dropFirst(9).prefix { $0 != " " })
                }
                heardAfter = all.filter { $0.hasPrefix("speaker: after") }.count
                dropped = all.filter { $0.hasSuffix("dropped: you were not reading fast enough") }
                    .compactMap { Int($0.dropFirst(4).prefix { $0 != " " }) }
                    .reduce(0, +)
                return heard.count + heardAfter + dropped >= said
            }
            #expect(heard == heard.sorted())
            #expect(dropped > 0)
            let notices = await sleeper.allLines.filter { $0.hasPrefix("*** ") }
            #expect(
                heard.count + heardAfter + dropped == said,
                "missing \(Self.gaps(in: heard, below: lines)), \(heardAfter) of \(attempts) later lines, notices \(notices)"
            )
            for client in [speaker, listener, sleeper] { await client.close() }
        }
    }

    @Test func aStuckClientIsDisconnected() async throws {
        var configuration = TalkerCluster.configuration()
        configuration.clientQueueLimit = 16 << 10
        configuration.stuckClientTimeout = .seconds(1)
        try await TalkerCluster.with(1, configuration: configuration) { cluster in
            let speaker = try await cluster.client(of: 0, named: "speaker")
            let listener = try await cluster.client(of: 0, named: "listener")
            let stuck = try await cluster.client(of: 0, named: "stuck")
            try await stuck.stopReading()
            var rounds = 0
            // Bounded: far more than the buffers hold, in case the server never gives up.
            while await cluster[0].localNames.contains("stuck"), rounds < 100 {
                #expect(try await chatter(200, from: speaker, heardBy: listener) == 200)
                rounds += 1
            }
            #expect(await !cluster[0].localNames.contains("stuck"))
            try await stuck.resumeReading()
            #expect(await stuck.isClosedByServer())
            for client in [speaker, listener, stuck] { await client.close() }
        }
    }
}
