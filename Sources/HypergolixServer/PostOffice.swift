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
        // A few chunks in parallel use every core without a task per subscriber; within a connection,
        // pushes still go out in the order they were posted.
        let chunkSize = max(64, targets.count / 4 + 1)
        await withTaskGroup(of: Void.self) { group in
            for start in stride(from: 0, to: targets.count, by: chunkSize) {
                let chunk = targets[start..<min(start + chunkSize, targets.count)]
                group.addTask {
                    for connection in chunk { await Self.push(body, to: connection) }
                }
            }
        }
    }

    /// Pushes to one connection (a re-push of stored requests on `+S`).
    func deliver(_ subscription: Ghid, object: [UInt8], to connection: WireConnection) async {
        await Self.push(subscription.bytes + object, to: connection)
    }

    /// The original waited 30 seconds for a subscriber's answer and never retried; a push's answer is
    /// likewise only logged, so a slow subscriber costs no task.
    private static func push(_ body: [UInt8], to connection: WireConnection) async {
        try? await connection.notify(.subscriptionUpdate, body)
    }
}
