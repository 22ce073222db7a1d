import NIOCore
import WSCore

/// A ``WireTransport`` over a WebSocket (server or client side): one binary message per protocol message.
public struct WebSocketTransport: WireTransport {
    let outbound: WebSocketOutboundWriter

    public init(outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
    }

    public func send(_ message: [UInt8]) async throws {
        try await outbound.writeBinaryMessage(ByteBuffer(bytes: message))
    }

    public func close() async {
        try? await outbound.close(.normalClosure, reason: nil)
    }

    /// The protocol messages on `inbound`: whole binary messages up to the 10 MiB limit. A text message
    /// is handed on as its bytes and then fails the version check, as it does in the original. Read in the
    /// caller's task (no intermediate stream), so a message costs no extra thread hand-off.
    public static func messages(_ inbound: WebSocketInboundStream) -> Messages {
        Messages(inbound: inbound)
    }

    public struct Messages: AsyncSequence {
        public typealias Element = [UInt8]
        let inbound: WebSocketInboundStream

        public struct AsyncIterator: AsyncIteratorProtocol {
            var frames: WebSocketInboundStream.AsyncIterator

            public mutating func next() async throws -> [UInt8]? {
                switch try await frames.nextMessage(maxSize: WireMessage.maximumLength) {
                case .binary(let buffer)?: return Array(buffer.readableBytesView)
                case .text(let text)?: return Array(text.utf8)
                case nil: return nil
                }
            }
        }

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(frames: inbound.makeAsyncIterator())
        }
    }
}
