import Logging
import NIOCore

/// Keeps one client's outbound queue bounded.
///
/// The server writes to every client without waiting, so that nobody waits for the slowest
/// reader. Once the bytes queued for a client pass the channel's high watermark, further lines
/// to it are dropped and counted; when it catches up it is told how many it missed. A client
/// whose queue stays full past the stuck timeout is disconnected.
final class SlowClientGuard: ChannelOutboundHandler, ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ClientInput
    typealias InboundOut = ClientInput
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The promise of a dropped write fails with this.
    struct LineDropped: Error {}

    private let stuckTimeout: TimeAmount
    private let logger: Logger
    private var dropped = 0
    private var stuckTimer: Scheduled<Void>?

    init(stuckTimeout: Duration, logger: Logger) {
        self.stuckTimeout = TimeAmount(stuckTimeout)
        self.logger = logger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard context.channel.isWritable else {
            dropped += 1
            promise?.fail(LineDropped())
            return
        }
        context.write(data, promise: promise)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stuckTimer?.cancel()
            stuckTimer = nil
            if dropped > 0 {
                let notice = "*** \(dropped) line\(dropped == 1 ? " was" : "s were") dropped: you were not reading fast enough\r\n"
                logger.info("client caught up", metadata: ["dropped": "\(dropped)"])
                dropped = 0
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: notice)), promise: nil)
            }
        } else if stuckTimer == nil {
            let channel = context.channel
            let logger = self.logger
            let timeout = self.stuckTimeout
            stuckTimer = context.eventLoop.scheduleTask(in: timeout) {
                logger.warning("disconnecting client: it stopped reading", metadata: ["after": "\(timeout)"])
                channel.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stuckTimer?.cancel()
        stuckTimer = nil
        context.fireChannelInactive()
    }
}
