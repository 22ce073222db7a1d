/// Errors that ``MeshNode``'s API reports to its caller.
public enum MeshError: Error, Hashable, Sendable {
    /// The node has been shut down.
    case shutDown
    /// Message types are 1 to 255 bytes of UTF-8.
    case invalidType(String)
    /// The encoded frame would exceed ``MeshConfiguration/maximumFrameSize``.
    case frameTooLarge(size: Int, limit: Int)
    /// `send(to:)` needs a direct link to the node.
    case notConnected(NodeID)
    /// This node already dials that endpoint.
    case alreadyDialling(Endpoint)
    /// The endpoint answered with this node's own id.
    case connectedToSelf(Endpoint)
    /// The TCP connection could not be made.
    case connectFailed(Endpoint, reason: String)
    /// The peer closed the connection, or stayed silent, before presenting its `I-AM`.
    case handshakeFailed(Endpoint, reason: String)
    /// Ports are 0 to 65535 for listening and 1 to 65535 for connecting.
    case invalidPort(Int)
}

extension MeshError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .shutDown:
            return "the mesh node has been shut down"
        case .invalidType(let type):
            return "invalid message type \"\(type)\" (1 to 255 bytes of UTF-8)"
        case .frameTooLarge(let size, let limit):
            return "frame of \(size) bytes exceeds the limit of \(limit)"
        case .notConnected(let node):
            return "no direct link to node \(node.shortDescription)"
        case .alreadyDialling(let endpoint):
            return "already connecting to \(endpoint)"
        case .connectedToSelf(let endpoint):
            return "\(endpoint) is this node itself"
        case .connectFailed(let endpoint, let reason):
            return "cannot connect to \(endpoint): \(reason)"
        case .handshakeFailed(let endpoint, let reason):
            return "no I-AM from \(endpoint): \(reason)"
        case .invalidPort(let port):
            return "invalid port \(port)"
        }
    }
}
