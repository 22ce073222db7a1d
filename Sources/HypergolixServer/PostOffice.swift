import Golix
import HypergolixWire
import Logging

/// Subscriptions and their pushes (HYPERGOLIX-0.1-WIRE §2.5): which connections want which ghids, and
/// delivering `!!` updates to them.
///
/// Pushes go out in the order they are posted on every connection (the post office awaits each send,
/// which only queues the message), while their answers are collected in the background with the
/// original's 30-second limit and no retries.
actor PostOffice {
    private var subscribers: [Ghid: Set<ObjectIdentifier>] = [:]
    private var connections: [ObjectIdentifier: (connection: WireConnection, subscriptions: Set<Ghid>)] = [:]
    private let logger: Logger
    static let pushTimeout: Duration = .seconds(30)

    init(logger: Logger) {
        self.logger = logger
    }

    func register(_ connection: WireConnection) {
        connections[ObjectIdentifier(connection)] = (connection, [])
    }

    /// Forgets a connection and everything it subscribed to.
    func unregister(_ connection: WireConnection) {
        unsubscribeAll(connection)
        connections[ObjectIdentifier(connection)] = nil
    }

    func subscribe(_ connection: WireConnection, to ghid: Ghid) {
        let id = ObjectIdentifier(connection)
        guard connections[id] != nil else { return }
        connections[id]?.subscriptions.insert(ghid)
        subscribers[ghid, default: []].insert(id)
    }

    /// Returns whether the connection was subscribed.
    func unsubscribe(_ connection: WireConnection, from ghid: Ghid) -> Bool {
        let id = ObjectIdentifier(connection)
        guard connections[id]?.subscriptions.remove(ghid) != nil else { return false }
        subscribers[ghid]?.remove(id)
        if subscribers[ghid]?.isEmpty == true { subscribers[ghid] = nil }
        return true
    }

    func unsubscribeAll(_ connection: WireConnection) {
        let id = ObjectIdentifier(connection)
        for ghid in connections[id]?.subscriptions ?? [] {
            subscribers[ghid]?.remove(id)
            if subscribers[ghid]?.isEmpty == true { subscribers[ghid] = nil }
        }
        connections[id]?.subscriptions = []
    }

    func subscriptions(of connection: WireConnection) -> Set<Ghid> {
        connections[ObjectIdentifier(connection)]?.subscriptions ?? []
    }

    var connectionCount: Int { connections.count }
    var subscriptionCount: Int { subscribers.values.reduce(0) { $0 + $1.count } }

    /// Pushes `object` (its packed bytes) to every subscriber of `subscription`, except `skipping`.
    func deliver(_ subscription: Ghid, object: [UInt8], skipping: WireConnection? = nil) async {
        guard let ids = subscribers[subscription] else { return }
        let skip = skipping.map(ObjectIdentifier.init)
        let body = subscription.bytes + object
        let targets = ids.compactMap { id in id == skip ? nil : connections[id]?.connection }
        await withTaskGroup(of: Void.self) { group in
            for connection in targets {
                group.addTask { await Self.push(body, to: connection, logger: self.logger) }
            }
        }
    }

    /// Pushes to one connection (a re-push of stored requests on `+S`).
    func deliver(_ subscription: Ghid, object: [UInt8], to connection: WireConnection) async {
        await Self.push(subscription.bytes + object, to: connection, logger: logger)
    }

    private static func push(_ body: [UInt8], to connection: WireConnection, logger: Logger) async {
        do {
            let token = try await connection.send(.subscriptionUpdate, body)
            Task {
                do {
                    _ = try await connection.response(to: token, timeout: pushTimeout)
                } catch {
                    logger.debug("subscriber did not take a push: \(error)")
                }
            }
        } catch {
            logger.debug("could not push to a closed subscriber")
        }
    }
}
