import Testing

@testable import Mesh

@Suite struct TopologyTableTests {
    let a = NodeID(high: 0, low: 1)!
    let b = NodeID(high: 0, low: 2)!
    let c = NodeID(high: 0, low: 3)!
    let d = NodeID(high: 0, low: 4)!
    let now = ContinuousClock.now

    @Test func edgesCountOnlyWhenBothEndsAgree() {
        var table = TopologyTable(localNode: a, retention: .seconds(60))
        _ = table.setDirectPeers([b])
        _ = table.record(peers: [a, c], of: b, serial: 1)
        var change = table.recompute(now: now)
        // c has not confirmed the b–c link yet.
        #expect(table.reachable == [a, b])
        #expect(change.gained == [b])
        _ = table.record(peers: [b], of: c, serial: 1)
        change = table.recompute(now: now)
        #expect(table.reachable == [a, b, c])
        #expect(change.gained == [c])
    }

    @Test func aStaleViewAcrossAPartitionDoesNotCount() {
        // Line a–b–c–d, then b–c breaks; a hears b's news but c's old set still lists b.
        var table = TopologyTable(localNode: a, retention: .seconds(60))
        _ = table.setDirectPeers([b])
        _ = table.record(peers: [a, c], of: b, serial: 1)
        _ = table.record(peers: [b, d], of: c, serial: 1)
        _ = table.record(peers: [c], of: d, serial: 1)
        _ = table.recompute(now: now)
        #expect(table.reachable == [a, b, c, d])
        _ = table.record(peers: [a], of: b, serial: 2)
        let change = table.recompute(now: now)
        #expect(table.reachable == [a, b])
        #expect(change.lost == [c, d])
    }

    @Test func olderAnnouncementsLose() {
        var table = TopologyTable(localNode: a, retention: .seconds(60))
        let first = table.record(peers: [a, c], of: b, serial: 5)
        let older = table.record(peers: [a], of: b, serial: 4)
        let same = table.record(peers: [a], of: b, serial: 5)
        let local = table.record(peers: [b], of: a, serial: 9)
        #expect(first)
        #expect(!older)
        #expect(!same)
        #expect(table.snapshot.peerSets[b] == [a, c])
        #expect(!local, "the local entry is first-hand")
    }

    @Test func unreachableNodesAreForgottenAfterTheRetention() {
        var table = TopologyTable(localNode: a, retention: .seconds(60))
        _ = table.record(peers: [c], of: b, serial: 1)
        _ = table.recompute(now: now)
        #expect(table.snapshot.peerSets[b] != nil)
        _ = table.recompute(now: now + .seconds(59))
        #expect(table.snapshot.peerSets[b] != nil)
        _ = table.recompute(now: now + .seconds(61))
        #expect(table.snapshot.peerSets[b] == nil)
        #expect(table.snapshot.peerSets[a] == [])
    }
}

@Suite struct TopologyTableCapacityTests {
    @Test func inventedNodesCannotGrowTheTableWithoutBound() {
        let local = NodeID(high: 0, low: 1)!
        let peer = NodeID(high: 0, low: 2)!
        var table = TopologyTable(localNode: local, retention: .seconds(600), capacity: 3)
        _ = table.setDirectPeers([peer])
        _ = table.record(peers: [local], of: peer, serial: 1)
        _ = table.recompute(now: .now)
        var accepted = 0
        for low in 100..<200 {
            if table.record(peers: [], of: NodeID(high: 1, low: UInt64(low))!, serial: 1) {
                accepted += 1
            }
        }
        #expect(table.snapshot.peerSets.count <= 4, "three remembered nodes and the local one")
        #expect(table.snapshot.peerSets[peer] == [local], "the reachable peer is never forgotten")
        #expect(accepted > 0)
    }
}
