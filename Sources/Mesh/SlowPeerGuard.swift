import Logging
import NIOCore

/// Closes a link whose peer has stopped reading once the bytes queued for it pass the channel's
/// high write-buffer watermark.
///
/// Flooding writes to every link without waiting, so a peer that does not read would otherwise
/// make its queue grow without bound; waiting for it instead would stall the whole mesh behind
/// one node. Dropping the link is the honest choice: the peer learns from the closed connection,
/// and the dialling side reconnects.
final class SlowPeerGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = MeshFrame
    typealias InboundOut = MeshFrame

    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !context.channel.isWritable {
            logger.warning(
                "dropping link: peer is not reading",
                metadata: ["remote": "\(context.remoteAddress.map { "\($0)" } ?? "?")"]
            )
            context.close(promise: nil)
        }
        context.fireChannelWritabilityChanged()
    }
}
