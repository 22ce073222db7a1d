/// One live link of a node, as listings show it.
public struct MeshLinkInfo: Hashable, Sendable {
    /// Which side opened the link, which decides who re-dials it when it breaks.
    public enum Origin: Hashable, Sendable {
        /// This node dialled the endpoint and will reconnect to it.
        case dialled(Endpoint)
        /// The peer dialled one of this node's listeners.
        case accepted
    }

    public let peer: NodeID
    public let origin: Origin
    /// The peer's address as the socket reports it, if known.
    public let remoteAddress: String?

    public init(peer: NodeID, origin: Origin, remoteAddress: String?) {
        self.peer = peer
        self.origin = origin
        self.remoteAddress = remoteAddress
    }
}
