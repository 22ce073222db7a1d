import NIOCore

/// Counts the lines a benchmark client receives, on the event loop, without decoding them:
/// the clients must cost as little as possible so that the numbers measure the server.
final class LineCounter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var count = 0
    private let onLine: @Sendable (Int, ContinuousClock.Instant) -> Void

    /// `onLine` hears the running count and the arrival time of every line.
    init(onLine: @escaping @Sendable (Int, ContinuousClock.Instant) -> Void) {
        self.onLine = onLine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let now = ContinuousClock.now
        buffer.withUnsafeReadableBytes { bytes in
            for byte in bytes where byte == UInt8(ascii: "\n") {
                count += 1
                onLine(count, now)
            }
        }
    }
}
