import Foundation
import Hummingbird
import HummingbirdWebSocket
import HypergolixWire
import Logging
import NIOCore
import Synchronization

/// The IPC endpoint: WebSockets on loopback, one connection per app, speaking the 0.1.0 IPC protocol.
final class IPCServer: Sendable {
    let daemon: Daemon
    let host: String
    let requestedPort: Int
    let refusesOtherUsers: Bool
    let logger: Logger
    private let state = Mutex<(task: Task<Void, any Error>?, port: Int?, waiters: [CheckedContinuation<Int, any Error>])>((nil, nil, []))

    init(daemon: Daemon, host: String, port: Int, refusesOtherUsers: Bool, logger: Logger) {
        self.daemon = daemon
        self.host = host
        self.requestedPort = port
        self.refusesOtherUsers = refusesOtherUsers
        self.logger = logger
    }

    /// Starts listening; returns once bound (throws if the port is taken).
    func start() async throws {
        let router = Router()
        router.get("/") { _, _ -> Response in
            Response(status: .upgradeRequired, body: .init(byteBuffer: ByteBuffer(string: "Hypergolix IPC: connect with a WebSocket\n")))
        }
        let refuses = refusesOtherUsers
        let application = Application(
            router: router,
            server: .http1WebSocketUpgrade(
                configuration: .init(ws: .init(maxFrameSize: WireMessage.maximumLength, autoPing: .disabled))
            ) { [self] _, channel, _ in
                if refuses, !Self.isOwnUser(channel) {
                    logger.warning("refused an IPC connection from another OS user (\(channel.remoteAddress?.description ?? "?"))")
                    return .dontUpgrade
                }
                return .upgrade([:]) { inbound, outbound, _ in
                    await self.serve(inbound: inbound, outbound: outbound)
                }
            },
            configuration: .init(address: .hostname(host, port: requestedPort), serverName: "hypergolix-ipc"),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? 0
                let waiters = self.state.withLock { state in
                    state.port = port
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume(returning: port) }
            },
            logger: logger.quietenedForHummingbird
        )
        let task = Task { [self] in
            do {
                try await application.run()
            } catch {
                let waiters = self.state.withLock { state in
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume(throwing: error) }
                throw error
            }
        }
        state.withLock { $0.task = task }
        _ = try await boundPort()
    }

    private func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let known = state.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    func port() async -> Int {
        (try? await boundPort()) ?? requestedPort
    }

    func stop() async {
        let task = state.withLock { $0.task }
        task?.cancel()
        _ = await task?.result
    }

    private static func isOwnUser(_ channel: any Channel) -> Bool {
        guard let peer = channel.remoteAddress?.port, let local = channel.localAddress?.port else { return false }
        // Not found means not a local TCP socket we can attribute: refuse.
        return PeerCredentials.uid(peerPort: peer, localPort: local) == PeerCredentials.currentUID
    }

    private func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let connection = WireConnection(
            transport: WebSocketTransport(outbound: outbound),
            responder: AppSession(daemon: daemon),
            unknownRequestCode: IPCErrorCode.exception.rawValue,
            logger: logger,
            isOrdered: { AppSession.ordered.contains($0) }
        )
        await daemon.connect(connection)
        await connection.run(WebSocketTransport.messages(inbound))
        await daemon.disconnect(connection)
    }
}
