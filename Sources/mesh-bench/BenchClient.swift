import NIOCore
import NIOPosix
import Synchronization

/// A bare client for the benchmarks: writes prepared bytes, counts lines coming back.
struct BenchClient {
    let channel: any Channel
    let progress: Progress

    /// Lines received so far, and a way to wait for a count.
    final class Progress: Sendable {
        private let state = Mutex<(count: Int, last: ContinuousClock.Instant?)>((0, nil))
        let arrivals: AsyncStream<ContinuousClock.Instant>
        private let sink: AsyncStream<ContinuousClock.Instant>.Continuation
        private let reportsArrivals: Bool

        init(reportsArrivals: Bool) {
            (arrivals, sink) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
            self.reportsArrivals = reportsArrivals
        }

        func record(_ count: Int, at instant: ContinuousClock.Instant) {
            state.withLock { $0 = (count, instant) }
            if reportsArrivals { sink.yield(instant) }
        }

        var count: Int { state.withLock { $0.count } }
        var lastArrival: ContinuousClock.Instant? { state.withLock { $0.last } }
    }

    /// Connects and waits for the server's welcome line. With `reportsArrivals`, every line's
    /// arrival time is also streamed, for latency measurements.
    static func connect(port: Int, reportsArrivals: Bool = false) async throws -> BenchClient {
        let progress = Progress(reportsArrivals: reportsArrivals)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(LineCounter { progress.record($0, at: $1) })
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        let client = BenchClient(channel: channel, progress: progress)
        guard try await client.waitFor(lines: 1, timeout: .seconds(10)) else {
            throw BenchError("no welcome line from 127.0.0.1:\(port)")
        }
        if reportsArrivals {
            var arrivals = progress.arrivals.makeAsyncIterator()
            _ = await arrivals.next()
        }
        return client
    }

    func send(_ bytes: ByteBuffer) {
        channel.writeAndFlush(bytes, promise: nil)
    }

    /// Waits until `lines` lines have arrived in total; false if the count stops growing for
    /// `timeout`.
    func waitFor(lines: Int, timeout: Duration) async throws -> Bool {
        var lastCount = -1
        var lastChange = ContinuousClock.now
        while progress.count < lines {
            let count = progress.count
            if count != lastCount {
                lastCount = count
                lastChange = .now
            } else if ContinuousClock.now - lastChange > timeout {
                return false
            }
            try await Task.sleep(for: .microseconds(200))
        }
        return true
    }

    func close() async {
        try? await channel.close()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
