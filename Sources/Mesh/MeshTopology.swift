/// What one node knows of the mesh at one moment.
public struct MeshTopology: Sendable, Equatable {
    /// The node that holds this view.
    public let localNode: NodeID
    /// Nodes with at least one live link to `localNode`.
    public let directPeers: Set<NodeID>
    /// The latest peer set each remembered node announced; `localNode`'s entry is `directPeers`.
    /// Unreachable nodes stay here for a while (``MeshConfiguration/unreachableRetention``).
    public let peerSets: [NodeID: Set<NodeID>]
    /// Nodes that a path of links both ends confirm leads to, `localNode` included.
    public let reachable: Set<NodeID>

    public init(
        localNode: NodeID,
        directPeers: Set<NodeID>,
        peerSets: [NodeID: Set<NodeID>],
        reachable: Set<NodeID>
    ) {
        self.localNode = localNode
        self.directPeers = directPeers
        self.peerSets = peerSets
        self.reachable = reachable
    }

    /// Links between reachable nodes, each once, smaller id first, sorted.
    public var reachableLinks: [(NodeID, NodeID)] {
        var links: [(NodeID, NodeID)] = []
        for node in reachable {
            for peer in peerSets[node] ?? [] where node < peer && reachable.contains(peer) {
                links.append((node, peer))
            }
        }
        return links.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
