import NIOCore

/// Cuts the byte stream of a link into frames, refusing a length over the limit as soon as the
/// four length bytes arrive, so a garbage or hostile peer cannot make the node buffer megabytes.
struct MeshFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = MeshFrame

    let maximumFrameSize: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.nextFrame(from: &buffer, maximumFrameSize: maximumFrameSize) else {
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        // A frame cut short by the peer closing is dropped with the link; nothing to report.
        try decode(context: context, buffer: &buffer)
    }

    /// The framing rule on its own, so that it can be tested without a channel.
    static func nextFrame(
        from buffer: inout ByteBuffer,
        maximumFrameSize: Int
    ) throws(MeshProtocolError) -> MeshFrame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else {
            return nil
        }
        guard length > 0 else { throw .emptyFrame }
        guard length <= maximumFrameSize else {
            throw .frameTooLarge(size: Int(length), limit: maximumFrameSize)
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        guard var body = buffer.readSlice(length: Int(length)) else { return nil }
        return try MeshFrame(decoding: &body)
    }
}
