extension MeshNode {
    /// This node's current view of the mesh.
    public var topology: MeshTopology {
        topologyTable.snapshot
    }

    /// The topology now, then after every change. Only the newest view is buffered: a slow
    /// reader skips intermediate states, which is what anyone waiting for convergence wants.
    public func topologyUpdates() -> AsyncStream<MeshTopology> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: MeshTopology.self,
            bufferingPolicy: .bufferingNewest(1)
        )
        guard !isShutDown else {
            continuation.finish()
            return stream
        }
        let token = takeSubscriptionID()
        topologyWatchers[token] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.stopWatchingTopology(token: token) }
        }
        continuation.yield(topologyTable.snapshot)
        return stream
    }

    private func stopWatchingTopology(token: Int) {
        topologyWatchers[token] = nil
    }

    /// Called after the local links changed or a peer set arrived.
    ///
    /// A node floods its own peer set when its links change, as the seed's `I-AM` protocol does;
    /// it also floods it when nodes it did not know become reachable, because those nodes missed
    /// its earlier announcements. That second rule is what lets two meshes that join, or the two
    /// halves of a healed partition, learn each other completely without periodic chatter.
    func topologyChanged(directPeersChanged: Bool) {
        let (gained, lost) = topologyTable.recompute(now: .now)
        if directPeersChanged || !gained.isEmpty {
            let peers = topologyTable.directPeers.sorted()
            do {
                try originate(.peerSet(peers), target: nil)
            } catch {
                logger.error("cannot announce peer set: \(error)")
            }
        }
        if !gained.isEmpty || !lost.isEmpty {
            logger.info(
                "reachable set changed",
                metadata: [
                    "reachable": "\(topologyTable.reachable.count)",
                    "gained": "\(gained.map(\.shortDescription).sorted())",
                    "lost": "\(lost.map(\.shortDescription).sorted())",
                ]
            )
        }
        let snapshot = topologyTable.snapshot
        for watcher in topologyWatchers.values {
            watcher.yield(snapshot)
        }
        checkGathers()
    }
}
