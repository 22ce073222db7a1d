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
    /// is handed on as its bytes and then fails the version check, as it does in the original.
    public static func messages(_ inbound: WebSocketInboundStream) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var iterator = inbound.makeAsyncIterator()
                    while let message = try await iterator.nextMessage(maxSize: WireMessage.maximumLength) {
                        switch message {
                        case .binary(let buffer): continuation.yield(Array(buffer.readableBytesView))
                        case .text(let text): continuation.yield(Array(text.utf8))
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
