import NIOCore
import NIOPosix

/// A client of the talker protocol, for the tests and the benchmark: sends lines, and keeps
/// every line the server sends for the caller to wait on.
public actor TalkerClient {
    public nonisolated let channel: any Channel
    private var received: [String] = []
    private var cursor = 0
    private var isClosed = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to a talker. `receiveBufferSize` shrinks the socket's receive buffer, so a test
    /// can make a client that falls behind quickly.
    public static func connect(
        host: String = "127.0.0.1",
        port: Int,
        receiveBufferSize: Int? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> TalkerClient {
        let (lines, sink) = AsyncStream.makeStream(of: String.self)
        var bootstrap = ClientBootstrap(group: eventLoopGroup)
        if let receiveBufferSize {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: .init(receiveBufferSize))
        }
        let channel = try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(ByteToMessageHandler(LineFramer(maximumLineLength: 1 << 20)))
                    try handlers.addHandler(LineSink(sink))
                }
            }
            .connect(host: host, port: port)
            .get()
        let client = TalkerClient(channel: channel)
        await client.collect(lines)
        return client
    }

    private func collect(_ lines: AsyncStream<String>) {
        Task {
            for await line in lines {
                self.append(line)
            }
            self.markClosed()
        }
    }

    private func append(_ line: String) {
        received.append(line)
        wakeWaiters()
    }

    private func markClosed() {
        isClosed = true
        wakeWaiters()
    }

    private func wakeWaiters() {
        let waiting = waiters
        waiters = [:]
        for waiter in waiting.values { waiter.resume() }
    }

    /// Sends one line, CRLF added.
    public func send(_ line: String) async throws {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeStaticString("\r\n")
        try await channel.writeAndFlush(buffer)
    }

    /// Sends raw bytes, for tests of what clients should not send.
    public func send(bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// The next line not yet returned, or `nil` if none arrives within `timeout` or the server
    /// closed the connection.
    public func nextLine(timeout: Duration = .seconds(20)) async -> String? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while cursor >= received.count {
            guard !isClosed, ContinuousClock.now < deadline else { return nil }
            await waitForNews(until: deadline)
        }
        defer { cursor += 1 }
        return received[cursor]
    }

    /// Skips lines until one satisfies `predicate`, and returns it.
    public func nextLine(
        timeout: Duration = .seconds(20),
        where predicate: (String) -> Bool
    ) async -> String? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while let line = await nextLine(timeout: deadline - ContinuousClock.now) {
            if predicate(line) { return line }
        }
        return nil
    }

    /// Every line received so far, including those already returned.
    public var allLines: [String] { received }

    /// Whether the server has closed the connection; waits up to `timeout` for it.
    public func isClosedByServer(within timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !isClosed, ContinuousClock.now < deadline {
            await waitForNews(until: deadline)
        }
        return isClosed
    }

    /// Stops reading from the socket, like a stuck client; `resumeReading` undoes it.
    public func stopReading() async throws {
        try await channel.setOption(.autoRead, value: false).get()
    }

    public func resumeReading() async throws {
        try await channel.setOption(.autoRead, value: true).get()
        channel.read()
    }

    public func close() async {
        try? await channel.close()
    }

    private func waitForNews(until deadline: ContinuousClock.Instant) async {
        let id = nextWaiter
        nextWaiter += 1
        let timer = Task {
            try? await Task.sleep(until: deadline)
            self.wake(id)
        }
        await withCheckedContinuation { waiters[id] = $0 }
        timer.cancel()
    }

    private func wake(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }
}

/// Hands decoded lines to the client's actor in order.
private final class LineSink: ChannelInboundHandler, Sendable {
    typealias InboundIn = ClientInput

    private let sink: AsyncStream<String>.Continuation

    init(_ sink: AsyncStream<String>.Continuation) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .line(let line): sink.yield(line)
        case .tooLong: sink.yield("<line too long>")
        case .invalidUTF8: sink.yield("<invalid UTF-8>")
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        sink.finish()
        context.fireChannelInactive()
    }
}
