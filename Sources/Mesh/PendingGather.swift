/// A scatter-gather call waiting for replies.
struct PendingGather {
    var result = GatherResult()
    let continuation: CheckedContinuation<GatherResult, Never>
    var timeout: Task<Void, Never>?

    /// Nodes that have replied, with an answer or a refusal.
    var heard: Set<NodeID> {
        result.declined.union(result.replies.keys)
    }
}
