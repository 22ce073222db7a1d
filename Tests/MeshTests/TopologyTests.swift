import Logging
import Mesh
import NIOCore
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct TopologyTests {
    @Test func iAmIntroducesBothSides() async throws {
        try await TestMesh.with(2) { mesh in
            let peer = try await mesh.link(0, 1)
            #expect(peer == mesh.ids[1])
            try await mesh.waitForConvergence([(0, 1)])
            let dialler = await mesh[0].linkInfos
            let acceptor = await mesh[1].linkInfos
            #expect(dialler.map(\.peer) == [mesh.ids[1]])
            #expect(dialler.first?.origin == .dialled(Endpoint(host: "127.0.0.1", port: mesh.ports[1])))
            #expect(acceptor.map(\.peer) == [mesh.ids[0]])
            #expect(acceptor.first?.origin == .accepted)
            #expect(await mesh[0].dialledEndpoints == [Endpoint(host: "127.0.0.1", port: mesh.ports[1])])
            let topology = await mesh[1].topology
            #expect(topology.peerSets[mesh.ids[0]] == [mesh.ids[1]])
            #expect(topology.reachableLinks.count == 1)
        }
    }

    @Test func topologyConvergesAsLinksComeAndGo() async throws {
        try await TestMesh.with(4) { mesh in
            try await mesh.build(.line)
            try await mesh.link(3, 0)
            try await mesh.waitForConvergence([(0, 1), (1, 2), (2, 3), (3, 0)])
            #expect(await mesh[2].topology.reachableLinks.count == 4)

            await mesh.unlink(0, 1)
            try await mesh.waitForConvergence([(1, 2), (2, 3), (3, 0)])
            #expect(await mesh[0].dialledEndpoints.isEmpty)

            await mesh.unlink(1, 2)
            try await mesh.waitForConvergence([(2, 3), (3, 0)])
            #expect(await mesh[1].topology.reachable == [mesh.ids[1]])
        }
    }

    @Test func meshesThatJoinLearnEachOtherCompletely() async throws {
        try await TestMesh.with(6) { mesh in
            try await mesh.link(0, 1)
            try await mesh.link(1, 2)
            try await mesh.link(3, 4)
            try await mesh.link(4, 5)
            try await mesh.waitForConvergence([(0, 1), (1, 2), (3, 4), (4, 5)])
            // The far ends (0 and 5) only hear of each other because every node re-announces
            // itself when new nodes become reachable.
            try await mesh.link(2, 3)
            try await mesh.waitForConvergence([(0, 1), (1, 2), (3, 4), (4, 5), (2, 3)])
        }
    }

    @Test func aPartitionedMeshHealsWhenTheLinkReturns() async throws {
        let reserved = try ReservedPort()
        var logger = Logger(label: "mesh-test-far-end")
        logger.logLevel = .critical
        try await TestMesh.with(2) { mesh in
            // The far end listens on a reserved port, so that no parallel test can take it while
            // it is down and node 1 keeps re-dialling it.
            let farID = NodeID.random()
            let far = MeshNode(id: farID, configuration: TestMesh.testConfiguration, logger: logger)
            _ = try await far.listen(host: "127.0.0.1", port: reserved.port)
            try await mesh.link(0, 1)
            _ = try await mesh[1].connect(host: "127.0.0.1", port: reserved.port)
            let all = Set(mesh.ids + [farID])
            await eventually("the line converges") { await mesh[0].topology.reachable == all }

            await far.shutdown()
            for index in [0, 1] {
                await eventually("node \(index) sees the far end gone") {
                    await mesh[index].topology.reachable == Set(mesh.ids)
                }
            }
            // The far end comes back under its old identity and address.
            let restarted = MeshNode(id: farID, configuration: TestMesh.testConfiguration, logger: logger)
            do {
                _ = try await restarted.listen(host: "127.0.0.1", port: reserved.port)
                await eventually("node 0 reaches the far end again") { await mesh[0].topology.reachable == all }
                await eventually("the far end reaches node 0 again") { await restarted.topology.reachable == all }
                let inbox = await Inbox.subscribe(restarted, to: "chat")
                try await mesh[0].broadcast(type: "chat", payload: ByteBuffer(string: "welcome back"))
                await eventually("speech crosses the healed link") { await inbox.texts == ["welcome back"] }
            } catch {
                await restarted.shutdown()
                throw error
            }
            await restarted.shutdown()
        }
    }

    @Test func aDroppedDialledLinkIsRedialled() async throws {
        try await TestMesh.with(2) { mesh in
            try await mesh.build(.line)
            let before = try #require(await mesh[1].linkInfos.first?.remoteAddress)
            #expect(await mesh[1].dropLinks(to: mesh.ids[0]) == 1)
            // The acceptor cannot redial; the dialler does, from a new ephemeral port.
            await eventually("the link comes back") {
                let links = await mesh[1].linkInfos
                return links.count == 1 && links.first?.remoteAddress != before
            }
            try await mesh.waitForConvergence([(0, 1)])
        }
    }

    @Test func topologyUpdatesStartWithTheCurrentView() async throws {
        try await TestMesh.with(2) { mesh in
            var updates = await mesh[0].topologyUpdates().makeAsyncIterator()
            let first = try #require(await updates.next())
            #expect(first.reachable == [mesh.ids[0]] && first.directPeers.isEmpty)
            try await mesh.link(0, 1)
            var latest = first
            while latest.reachable.count < 2, let next = await updates.next() {
                latest = next
            }
            #expect(latest.reachable == Set(mesh.ids))
        }
    }
}
