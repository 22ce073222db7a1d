/// The topology bookkeeping of one node: the newest peer set of every node it has heard of, and
/// the reachable set computed from them.
///
/// An edge counts only when both of its ends list each other, so that a stale peer set from the
/// far side of a partition cannot make a lost node look reachable. The local node's own links are
/// first-hand knowledge and count as they are.
struct TopologyTable {
    let localNode: NodeID
    let retention: Duration
    let capacity: Int

    private(set) var directPeers: Set<NodeID> = []
    private(set) var reachable: Set<NodeID>
    private var entries: [NodeID: Entry] = [:]

    private struct Entry {
        var serial: UInt64
        var peers: Set<NodeID>
        var unreachableSince: ContinuousClock.Instant?
    }

    init(localNode: NodeID, retention: Duration, capacity: Int = 4096) {
        self.localNode = localNode
        self.retention = retention
        self.capacity = max(1, capacity)
        self.reachable = [localNode]
    }

    /// Returns whether the set changed.
    mutating func setDirectPeers(_ peers: Set<NodeID>) -> Bool {
        guard peers != directPeers else { return false }
        directPeers = peers
        return true
    }

    /// Keeps `peers` if `serial` is newer than what is known of `node`; returns whether it did.
    /// Floods can overtake each other on different paths, so an older announcement can arrive
    /// after a newer one.
    mutating func record(peers: Set<NodeID>, of node: NodeID, serial: UInt64) -> Bool {
        guard node != localNode else { return false }
        if let known = entries[node], known.serial >= serial {
            return false
        }
        if entries[node] == nil, entries.count >= capacity {
            // A peer inventing node ids must not grow this table without bound: forget
            // unreachable nodes early, and if that is not enough, ignore newcomers.
            entries = entries.filter { reachable.contains($0.key) }
            guard entries.count < capacity else { return false }
        }
        entries[node] = Entry(serial: serial, peers: peers, unreachableSince: nil)
        return true
    }

    /// Recomputes `reachable` and forgets nodes unreachable for longer than `retention`.
    /// Returns the nodes that became reachable and those that stopped being reachable.
    mutating func recompute(now: ContinuousClock.Instant) -> (gained: Set<NodeID>, lost: Set<NodeID>) {
        var reached: Set<NodeID> = [localNode]
        var frontier: [NodeID] = []
        for peer in directPeers where reached.insert(peer).inserted {
            frontier.append(peer)
        }
        while let node = frontier.popLast() {
            guard let peers = entries[node]?.peers else { continue }
            for peer in peers where !reached.contains(peer) {
                guard let entry = entries[peer], entry.peers.contains(node) else { continue }
                reached.insert(peer)
                frontier.append(peer)
            }
        }
        for (node, entry) in entries {
            if reached.contains(node) {
                if entry.unreachableSince != nil { entries[node]?.unreachableSince = nil }
            } else if let since = entry.unreachableSince {
                if since.advanced(by: retention) <= now { entries[node] = nil }
            } else {
                entries[node]?.unreachableSince = now
            }
        }
        let gained = reached.subtracting(reachable)
        let lost = reachable.subtracting(reached)
        reachable = reached
        return (gained, lost)
    }

    var snapshot: MeshTopology {
        var peerSets = entries.mapValues(\.peers)
        peerSets[localNode] = directPeers
        return MeshTopology(
            localNode: localNode,
            directPeers: directPeers,
            peerSets: peerSets,
            reachable: reachable
        )
    }
}
