import Foundation
import Golix
import Hummingbird
import HummingbirdWebSocket
import HypergolixWire
import Logging
import NIOCore
import Persistence
import ServiceLifecycle
import Synchronization

/// A Hypergolix persistence server: stores Golix objects (ciphertext only) under the protocol's rules and
/// pushes updates to subscribers, over the 0.1.0 wire protocol on WebSockets.
public final class PersistenceServer: Service, Sendable {
    public let configuration: ServerConfiguration
    public let librarian: Librarian
    let postOffice: PostOffice
    let ingestor: Ingestor
    private let logger: Logger
    private let bound = BoundPorts()

    public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "hypergolix.server")) throws {
        self.configuration = configuration
        self.logger = logger
        let storage: any ObjectStorage
        if let directory = configuration.cacheDirectory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            storage = try SQLiteStorage(path: (directory as NSString).appendingPathComponent(ServerConfiguration.databaseName))
        } else {
            storage = MemoryStorage()
        }
        librarian = Librarian(storage: storage, rules: PersistenceRules(checksFrameHistory: configuration.checksFrameHistory))
        postOffice = PostOffice(logger: logger)
        ingestor = Ingestor(librarian: librarian, postOffice: postOffice, logger: logger)
    }

    /// Serves until cancelled or told to shut down gracefully.
    public func run() async throws {
        let healthRouter = Router()
        // The original's health check answers any GET with 200 and an empty body.
        for path in ["/", "**"] {
            healthRouter.get(RouterPath(path)) { _, _ in HTTPResponse.Status.ok }
            healthRouter.head(RouterPath(path)) { _, _ in HTTPResponse.Status.ok }
        }

        let webSocket = HTTP1WebSocketUpgradeChannel.Configuration(
            ws: .init(maxFrameSize: WireMessage.maximumLength, autoPing: .enabled(timePeriod: .seconds(30)))
        )
        let main = Application(
            router: healthRouter,
            server: .http1WebSocketUpgrade(configuration: webSocket) { [self] _, _, _ in
                // Any path upgrades, as in the original, which ignores it.
                .upgrade([:]) { inbound, outbound, _ in
                    await self.serve(inbound: inbound, outbound: outbound)
                }
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "hypergolix"),
            onServerRunning: { [bound, logger, configuration] channel in
                let port = channel.localAddress?.port ?? configuration.port
                bound.set(main: port)
                logger.notice("persistence server listening on \(configuration.host):\(port)")
            },
            logger: logger.quietenedForHummingbird
        )
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await main.run() }
            if let healthPort = configuration.healthPort {
                let health = Application(
                    router: healthRouter,
                    configuration: .init(address: .hostname(configuration.host, port: healthPort)),
                    onServerRunning: { [bound] channel in bound.set(health: channel.localAddress?.port ?? healthPort) },
                    logger: logger.quietenedForHummingbird
                )
                group.addTask { try await health.run() }
            }
        }
    }

    /// The bound WebSocket port, once listening (useful with port 0).
    public func port() async -> Int {
        await bound.main()
    }

    /// The bound health-check port, once listening, if one was configured.
    public func healthPort() async -> Int? {
        guard configuration.healthPort != nil else { return nil }
        return await bound.health()
    }

    /// Connections and subscriptions now (for tests, the benchmark and logs).
    public func statistics() async -> (connections: Int, subscriptions: Int) {
        (await postOffice.connectionCount, await postOffice.subscriptionCount)
    }

    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let session = ServerSession(librarian: librarian, ingestor: ingestor, postOffice: postOffice, logger: logger)
        let connection = WireConnection(
            transport: WebSocketTransport(outbound: outbound),
            responder: session,
            unknownRequestCode: PersistenceErrorCode.commsError.rawValue,
            logger: logger,
            isOrdered: { ServerSession.ordered.contains($0) }
        )
        await postOffice.register(connection)
        await connection.run(WebSocketTransport.messages(inbound))
        await postOffice.unregister(connection)
    }
}

/// Ports known once the listeners run; waiters are resumed when they are.
final class BoundPorts: Sendable {
    private struct State {
        var main: Int?
        var health: Int?
        var waiting: [(wantsHealth: Bool, continuation: CheckedContinuation<Int, Never>)] = []
    }

    private let state = Mutex(State())

    func set(main port: Int) { set(port, health: false) }
    func set(health port: Int) { set(port, health: true) }

    private func set(_ port: Int, health: Bool) {
        let ready = state.withLock { state -> [CheckedContinuation<Int, Never>] in
            if health { state.health = port } else { state.main = port }
            let (now, later) = (state.waiting.filter { $0.wantsHealth == health }, state.waiting.filter { $0.wantsHealth != health })
            state.waiting = later
            return now.map(\.continuation)
        }
        for continuation in ready { continuation.resume(returning: port) }
    }

    func main() async -> Int { await wait(health: false) }
    func health() async -> Int { await wait(health: true) }

    private func wait(health: Bool) async -> Int {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Int? in
                if let port = health ? state.health : state.main { return port }
                state.waiting.append((health, continuation))
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
