import Logging
import NIOCore
import NIOPosix

/// Answers a scatter-gather query on this node; `nil` declines it (the asker stops waiting for
/// this node without an answer from it).
public typealias MeshResponder = @Sendable (MeshMessage) async -> ByteBuffer?

/// One server in a peer-to-peer mesh of servers linked over TCP.
///
/// A node floods broadcasts to every node it can reach, each node's observers seeing each message
/// exactly once; delivers "eyes only" messages to a single node through the same flood; sends
/// direct messages over a single link; keeps a picture of the whole mesh's topology; and runs
/// scatter-gather queries over all reachable nodes. It has no global state: a process can run as
/// many nodes as it likes, which is how the tests build whole meshes.
///
/// docs/mesh.md describes the protocol, the wire format and the guarantees.
public actor MeshNode {
    /// This node's identity, sent to every peer in `I-AM`.
    public nonisolated let id: NodeID
    public nonisolated let configuration: MeshConfiguration

    let group: any EventLoopGroup
    let logger: Logger
    let allocator = ByteBufferAllocator()

    var nextSerial: UInt64
    var seen: SeenSet<MessageID>
    var topologyTable: TopologyTable

    var links: [Int: Link] = [:]
    var linkCountByPeer: [NodeID: Int] = [:]
    var nextLinkID = 0
    var listeners: [Listener] = []
    var dialers: [Endpoint: Dialer] = [:]

    var subscriptions: [String: [Int: AsyncStream<MeshMessage>.Continuation]] = [:]
    var topologyWatchers: [Int: AsyncStream<MeshTopology>.Continuation] = [:]
    var nextSubscriptionID = 0
    var responders: [String: MeshResponder] = [:]
    var gathers: [UInt64: PendingGather] = [:]

    var isShutDown = false

    /// A live link: one TCP connection that has exchanged `I-AM`.
    struct Link {
        let peer: NodeID
        let channel: any Channel
        let outbox: Outbox
        let info: MeshLinkInfo
    }

    /// The task that keeps a dialled link up, and a token that tells it apart from a later dialer
    /// of the same endpoint.
    struct Dialer {
        let token: Int
        let task: Task<Void, Never>
    }

    /// A bound listener and the task accepting its connections.
    struct Listener {
        let endpoint: Endpoint
        let channel: any Channel
        let task: Task<Void, Never>
    }

    /// - Parameters:
    ///   - id: a stable id if the node has an identity of its own; a random one otherwise.
    ///   - eventLoopGroup: where the sockets live; the shared singleton unless the caller
    ///     manages its own.
    ///   - logger: link events are logged at `info`, dropped garbage at `warning`.
    public init(
        id: NodeID = .random(),
        configuration: MeshConfiguration = MeshConfiguration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "mesh")
    ) {
        self.id = id
        self.configuration = configuration
        self.group = eventLoopGroup
        var logger = logger
        logger[metadataKey: "node"] = "\(id.shortDescription)"
        self.logger = logger
        self.nextSerial = WallClock.microsecondsSinceEpoch()
        self.seen = SeenSet(capacity: configuration.seenSetCapacity, lifetime: configuration.seenSetLifetime)
        self.topologyTable = TopologyTable(
            localNode: id,
            retention: configuration.unreachableRetention,
            capacity: configuration.maximumKnownNodes
        )
    }

    // MARK: - Messaging

    /// Floods a message to every reachable node, this one included: each node's observers of
    /// `type` see it exactly once.
    @discardableResult
    public func broadcast(type: String, payload: ByteBuffer) throws(MeshError) -> MessageID {
        try checkUsable(type: type)
        return try originate(.message(type: type, payload: payload), target: nil)
    }

    /// Floods a message that only `node` delivers to its observers: the other nodes forward it
    /// without looking. Reaches any node the flood reaches; `node` need not be a direct peer.
    @discardableResult
    public func sendEyesOnly(to node: NodeID, type: String, payload: ByteBuffer) throws(MeshError) -> MessageID {
        try checkUsable(type: type)
        return try originate(.message(type: type, payload: payload), target: node)
    }

    /// Sends a message over the link to a directly connected peer; it is not forwarded.
    @discardableResult
    public func send(to peer: NodeID, type: String, payload: ByteBuffer) throws(MeshError) -> MessageID {
        try checkUsable(type: type)
        guard let link = links.values.first(where: { $0.peer == peer }) else {
            throw .notConnected(peer)
        }
        let serial = takeSerial()
        let frame = try MeshFrame.direct(serial: serial, type: type, payload: payload)
            .encoded(limit: configuration.maximumFrameSize, allocator: allocator)
        link.outbox.enqueue(frame)
        return MessageID(origin: id, serial: serial)
    }

    /// Messages of `type` that reach this node: broadcasts, eyes-only messages addressed here and
    /// direct messages from peers. The stream buffers without bound, so a consumer that falls
    /// behind costs memory, never messages; it ends when the node shuts down or the consumer
    /// stops iterating.
    public func subscribe(to type: String) -> AsyncStream<MeshMessage> {
        let (stream, continuation) = AsyncStream.makeStream(of: MeshMessage.self)
        guard !isShutDown else {
            continuation.finish()
            return stream
        }
        let token = takeSubscriptionID()
        subscriptions[type, default: [:]][token] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(type: type, token: token) }
        }
        return stream
    }

    /// Installs the answer this node gives to scatter-gather queries of `type`; `nil` removes it.
    public func setResponder(for type: String, _ responder: MeshResponder?) {
        responders[type] = responder
    }

    // MARK: - Lifecycle

    /// Closes every listener and link, stops reconnecting, ends all subscriptions and completes
    /// pending gathers with what they have. Returns when the sockets are closed.
    public func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        let dialerTasks = dialers.values.map(\.task)
        let listenerTasks = listeners.map(\.task)
        // Cancelling also ends connections still waiting for an I-AM.
        for task in dialerTasks + listenerTasks { task.cancel() }
        for listener in listeners { listener.channel.close(promise: nil) }
        for link in links.values { link.channel.close(promise: nil) }
        for serial in Array(gathers.keys) { finishGather(serial) }
        for continuations in subscriptions.values {
            for continuation in continuations.values { continuation.finish() }
        }
        subscriptions = [:]
        for watcher in topologyWatchers.values { watcher.finish() }
        topologyWatchers = [:]
        for task in dialerTasks { await task.value }
        for task in listenerTasks { await task.value }
        listeners = []
        dialers = [:]
        logger.info("mesh node shut down")
    }

    // MARK: - Internals shared by the extensions

    func checkUsable(type: String) throws(MeshError) {
        guard !isShutDown else { throw .shutDown }
        guard (1...255).contains(type.utf8.count) else { throw .invalidType(type) }
    }

    func takeSerial() -> UInt64 {
        defer { nextSerial &+= 1 }
        return nextSerial
    }

    func takeSubscriptionID() -> Int {
        defer { nextSubscriptionID += 1 }
        return nextSubscriptionID
    }

    private func unsubscribe(type: String, token: Int) {
        subscriptions[type]?[token] = nil
        if subscriptions[type]?.isEmpty == true {
            subscriptions[type] = nil
        }
    }

    /// Starts a flood here: marks it seen, writes it to every link, then handles it locally as
    /// if it had arrived.
    @discardableResult
    func originate(_ content: Flood.Content, target: NodeID?, serial: UInt64? = nil) throws(MeshError) -> MessageID {
        let serial = serial ?? takeSerial()
        let flood = Flood(id: MessageID(origin: id, serial: serial), hops: 0, target: target, content: content)
        let frame = try MeshFrame.flood(flood).encoded(limit: configuration.maximumFrameSize, allocator: allocator)
        _ = seen.insert(flood.id, now: .now)
        if target != id {
            for link in links.values {
                link.outbox.enqueue(frame)
            }
        }
        if target == nil || target == id {
            handleLocally(flood)
        }
        return flood.id
    }

    /// A frame that arrived on a link.
    func receive(_ frame: MeshFrame, on linkID: Int) {
        guard let link = links[linkID] else { return }
        switch frame {
        case .iAm:
            logger.warning(
                "dropping link: \(MeshProtocolError.repeatedIAm)",
                metadata: ["peer": "\(link.peer.shortDescription)"]
            )
            link.channel.close(promise: nil)
        case .direct(let serial, let type, let payload):
            let message = MeshMessage(
                id: MessageID(origin: link.peer, serial: serial),
                type: type,
                payload: payload,
                delivery: .direct,
                hops: 1
            )
            deliver(message)
        case .flood(let flood):
            relay(flood, from: linkID)
        }
    }

    /// The flood rule: the first copy of a message is forwarded to every other link and handled
    /// here; later copies (which loops in the mesh bring back) are dropped.
    private func relay(_ flood: Flood, from linkID: Int) {
        guard seen.insert(flood.id, now: .now) else { return }
        var forwarded = flood
        forwarded.hops = flood.hops &+ 1
        if flood.target != id, Int(forwarded.hops) < configuration.maximumHops, links.count > 1 {
            // Re-encoding cannot exceed the limit: only the hop count changed.
            if let frame = try? MeshFrame.flood(forwarded).encoded(
                limit: configuration.maximumFrameSize,
                allocator: allocator
            ) {
                for (otherID, link) in links where otherID != linkID {
                    link.outbox.enqueue(frame)
                }
            }
        }
        if flood.target == nil || flood.target == id {
            handleLocally(forwarded)
        }
    }

    private func handleLocally(_ flood: Flood) {
        switch flood.content {
        case .message(let type, let payload):
            deliver(
                MeshMessage(
                    id: flood.id,
                    type: type,
                    payload: payload,
                    delivery: flood.target == nil ? .broadcast : .eyesOnly,
                    hops: Int(flood.hops)
                )
            )
        case .peerSet(let peers):
            if topologyTable.record(peers: Set(peers), of: flood.id.origin, serial: flood.id.serial) {
                topologyChanged(directPeersChanged: false)
            }
        case .query(let type, let payload):
            answer(MeshMessage(id: flood.id, type: type, payload: payload, delivery: .query, hops: Int(flood.hops)))
        case .reply(_, let querySerial, let answer):
            if flood.target == id {
                recordReply(from: flood.id.origin, querySerial: querySerial, answer: answer)
            }
        }
    }

    private func deliver(_ message: MeshMessage) {
        guard let continuations = subscriptions[message.type] else { return }
        for continuation in continuations.values {
            continuation.yield(message)
        }
    }
}
