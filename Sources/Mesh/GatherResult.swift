import NIOCore

/// What a scatter-gather call collected.
public struct GatherResult: Sendable {
    /// The answer of every node that answered, the local node included if it has a responder.
    public var replies: [NodeID: ByteBuffer]
    /// Reachable nodes without a responder for the query's type: they said so, and were not
    /// waited for.
    public var declined: Set<NodeID>
    /// Nodes reachable when the call ended that had not replied: the timeout cut them off.
    public var missing: Set<NodeID>

    public init(replies: [NodeID: ByteBuffer] = [:], declined: Set<NodeID> = [], missing: Set<NodeID> = []) {
        self.replies = replies
        self.declined = declined
        self.missing = missing
    }

    /// Whether every reachable node replied before the timeout.
    public var isComplete: Bool { missing.isEmpty }
}
