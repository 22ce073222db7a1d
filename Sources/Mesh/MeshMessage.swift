import NIOCore

/// A message as a node's observers see it.
public struct MeshMessage: Sendable {
    /// How the message travelled, which tells an observer who else saw it.
    public enum Delivery: Hashable, Sendable {
        /// Flooded to every node; every reachable node's observers see it once.
        case broadcast
        /// Flooded, but only the addressed node delivers it to its observers.
        case eyesOnly
        /// Sent over a single link to a directly connected peer; never forwarded.
        case direct
        /// A scatter-gather query, as a responder sees it.
        case query
    }

    public let id: MessageID
    public let type: String
    public let payload: ByteBuffer
    public let delivery: Delivery
    /// Links crossed on the way here: 0 for a message this node sent itself.
    public let hops: Int

    /// The node that sent the message.
    public var origin: NodeID { id.origin }

    public init(id: MessageID, type: String, payload: ByteBuffer, delivery: Delivery, hops: Int) {
        self.id = id
        self.type = type
        self.payload = payload
        self.delivery = delivery
        self.hops = hops
    }
}
