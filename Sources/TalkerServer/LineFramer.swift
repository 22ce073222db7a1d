import NIOCore

/// Cuts a byte stream into lines ended by LF or CRLF, with a bounded buffer.
///
/// A line that grows past the limit is reported once and then skipped up to its end, so a client
/// that never sends a newline costs at most `maximumLineLength` bytes. Bytes are only decoded as
/// UTF-8 once a line is complete, so characters split across reads are fine.
public struct LineFramer: ByteToMessageDecoder {
    public typealias InboundOut = ClientInput

    public let maximumLineLength: Int
    private var isDiscarding = false

    public init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let input = nextInput(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(input))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while let input = nextInput(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(input))
        }
        // An unterminated last line (netcat without -C at end of input) still counts.
        if seenEOF, buffer.readableBytes > 0, !isDiscarding {
            var line = buffer
            buffer.moveReaderIndex(to: buffer.writerIndex)
            context.fireChannelRead(Self.wrapInboundOut(Self.input(from: &line)))
        }
        return .needMoreData
    }

    /// The framing rule on its own, so that it can be tested without a channel.
    public mutating func nextInput(from buffer: inout ByteBuffer) -> ClientInput? {
        while true {
            guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                // The +1 leaves room for the CR of a CRLF that has not arrived yet.
                if buffer.readableBytes > maximumLineLength + 1 {
                    buffer.moveReaderIndex(to: buffer.writerIndex)
                    if !isDiscarding {
                        isDiscarding = true
                        return .tooLong
                    }
                }
                return nil
            }
            let length = newline - buffer.readerIndex
            guard var line = buffer.readSlice(length: length) else { return nil }
            buffer.moveReaderIndex(forwardBy: 1)
            if isDiscarding {
                // The tail of a line already reported as too long.
                isDiscarding = false
                continue
            }
            if line.readableBytesView.last == UInt8(ascii: "\r") {
                line.moveWriterIndex(to: line.writerIndex - 1)
            }
            guard line.readableBytes <= maximumLineLength else { return .tooLong }
            return Self.input(from: &line)
        }
    }

    private static func input(from line: inout ByteBuffer) -> ClientInput {
        guard let text = String(validating: line.readableBytesView, as: UTF8.self) else {
            return .invalidUTF8
        }
        return .line(text)
    }
}
