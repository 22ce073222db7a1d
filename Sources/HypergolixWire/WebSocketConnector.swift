import Logging
import Synchronization
import WSClient

/// Opens client WebSocket connections and runs the wire protocol on them.
public enum WebSocketConnector {
    /// Connects to `url` and returns the running connection. It reads in the background until either side
    /// closes it; ``WireConnection/close()`` closes the socket.
    public static func connect(
        url: String,
        responder: any WireResponder,
        unknownRequestCode: UInt16,
        logger: Logger,
        isOrdered: @escaping @Sendable (RequestCode) -> Bool = { _ in false }
    ) async throws -> WireConnection {
        try await withCheckedThrowingContinuation { continuation in
            let resume = ResumeOnce(continuation)
            Task {
                do {
                    try await WebSocketClient.connect(
                        url: url,
                        configuration: .init(maxFrameSize: WireMessage.maximumLength, autoPing: .enabled(timePeriod: .seconds(30))),
                        logger: logger
                    ) { inbound, outbound, _ in
                        let connection = WireConnection(
                            transport: WebSocketTransport(outbound: outbound),
                            responder: responder,
                            unknownRequestCode: unknownRequestCode,
                            logger: logger,
                            isOrdered: isOrdered
                        )
                        resume(.success(connection))
                        await connection.run(WebSocketTransport.messages(inbound))
                    }
                    resume(.failure(WireError.connectionClosed))
                } catch {
                    resume(.failure(error))
                }
            }
        }
    }
}

/// Resumes a continuation at most once, from whichever path gets there first.
final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, any Error>?>

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func callAsFunction(_ result: Result<Value, any Error>) {
        continuation.withLock { stored in
            stored?.resume(with: result)
            stored = nil
        }
    }
}
