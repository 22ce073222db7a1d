import Mesh
import NIOCore
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct FloodTests {
    @Test(arguments: Shape.allCases)
    func everyNodeSeesEveryBroadcastExactlyOnce(_ shape: Shape) async throws {
        try await TestMesh.with(5) { mesh in
            try await mesh.build(shape)
            var inboxes: [Inbox] = []
            for node in mesh.nodes {
                inboxes.append(await Inbox.subscribe(node, to: "chat"))
            }
            let perNode = 25
            for (index, node) in mesh.nodes.enumerated() {
                for serial in 0..<perNode {
                    try await node.broadcast(type: "chat", payload: ByteBuffer(string: "\(index) \(serial)"))
                }
            }
            let total = mesh.nodes.count * perNode
            for (index, inbox) in inboxes.enumerated() {
                await eventually("node \(index) hears all \(total) lines") { await inbox.count >= total }
            }
            // A second round as a barrier: any duplicate of the first round that a loop would bring
            // back arrives before the barrier does, since links are FIFO.
            for (index, node) in mesh.nodes.enumerated() {
                try await node.broadcast(type: "chat", payload: ByteBuffer(string: "\(index) end"))
            }
            for (index, inbox) in inboxes.enumerated() {
                await eventually("node \(index) hears the barrier") { await inbox.count >= total + mesh.nodes.count }
            }
            for (index, inbox) in inboxes.enumerated() {
                let texts = await inbox.texts
                #expect(texts.count == total + mesh.nodes.count, "node \(index) got duplicates")
                #expect(Set(texts).count == texts.count, "node \(index) got duplicates")
                // Per-origin order holds while links are stable.
                for origin in mesh.nodes.indices {
                    let serials = texts.compactMap { text -> Int? in
                        let parts = text.split(separator: " ")
                        return parts.first == "\(origin)" ? Int(parts[1]) : nil
                    }
                    #expect(serials == Array(0..<perNode), "node \(index) reordered node \(origin)'s lines")
                }
            }
        }
    }

    @Test func broadcastsReportHopsAndOrigin() async throws {
        try await TestMesh.with(4) { mesh in
            try await mesh.build(.line)
            let far = await Inbox.subscribe(mesh[3], to: "ping")
            let local = await Inbox.subscribe(mesh[0], to: "ping")
            let id = try await mesh[0].broadcast(type: "ping", payload: ByteBuffer(string: "x"))
            await eventually("the far end hears it") { await far.count == 1 }
            await eventually("the sender hears itself") { await local.count == 1 }
            let remote = try #require(await far.messages.first)
            #expect(remote.id == id && remote.origin == mesh.ids[0])
            #expect(remote.hops == 3 && remote.delivery == .broadcast)
            #expect(await local.messages.first?.hops == 0)
        }
    }

    @Test func observersOnlyHearTheirType() async throws {
        try await TestMesh.with(2) { mesh in
            try await mesh.build(.line)
            let chat = await Inbox.subscribe(mesh[1], to: "chat")
            let other = await Inbox.subscribe(mesh[1], to: "other")
            try await mesh[0].broadcast(type: "chat", payload: ByteBuffer(string: "1"))
            try await mesh[0].broadcast(type: "other", payload: ByteBuffer(string: "2"))
            await eventually("both arrive") {
                let heard = (await chat.count, await other.count)
                return heard == (1, 1)
            }
            #expect(await chat.texts == ["1"])
            #expect(await other.texts == ["2"])
        }
    }

    @Test func eyesOnlyMessagesReachOnlyTheirTarget() async throws {
        try await TestMesh.with(4) { mesh in
            try await mesh.build(.ring)
            var inboxes: [Inbox] = []
            for node in mesh.nodes {
                inboxes.append(await Inbox.subscribe(node, to: "secret"))
            }
            try await mesh[0].sendEyesOnly(to: mesh.ids[2], type: "secret", payload: ByteBuffer(string: "for 2"))
            // Then a broadcast as a barrier, to be sure the others had their chance to misdeliver.
            try await mesh[0].broadcast(type: "secret", payload: ByteBuffer(string: "for all"))
            for (index, inbox) in inboxes.enumerated() {
                await eventually("node \(index) hears the barrier") { await inbox.texts.contains("for all") }
            }
            #expect(await inboxes[2].texts == ["for 2", "for all"])
            #expect(await inboxes[2].messages.first?.delivery == .eyesOnly)
            for index in [0, 1, 3] {
                #expect(await inboxes[index].texts == ["for all"])
            }
        }
    }

    @Test func directMessagesGoToAConnectedPeerOnly() async throws {
        try await TestMesh.with(3) { mesh in
            try await mesh.build(.line)
            let middle = await Inbox.subscribe(mesh[1], to: "hello")
            let far = await Inbox.subscribe(mesh[2], to: "hello")
            try await mesh[0].send(to: mesh.ids[1], type: "hello", payload: ByteBuffer(string: "neighbour"))
            await eventually("the neighbour hears it") { await middle.count == 1 }
            let message = try #require(await middle.messages.first)
            #expect(message.delivery == .direct && message.origin == mesh.ids[0])
            await #expect(throws: MeshError.notConnected(mesh.ids[2])) {
                try await mesh[0].send(to: mesh.ids[2], type: "hello", payload: ByteBuffer())
            }
            // A broadcast barrier: the direct message must not have been forwarded.
            try await mesh[0].broadcast(type: "hello", payload: ByteBuffer(string: "all"))
            await eventually("the far end hears the barrier") { await far.count == 1 }
            #expect(await far.texts == ["all"])
        }
    }

    @Test func theHopLimitStopsForwarding() async throws {
        var configuration = TestMesh.testConfiguration
        configuration.maximumHops = 2
        try await TestMesh.with(4, configuration: configuration) { mesh in
            // Peer sets obey the limit too, so the ends never learn of each other.
            try await mesh.build(.line, throughout: false)
            let second = await Inbox.subscribe(mesh[2], to: "x")
            let third = await Inbox.subscribe(mesh[3], to: "x")
            try await mesh[0].broadcast(type: "x", payload: ByteBuffer(string: "far"))
            try await mesh[2].broadcast(type: "x", payload: ByteBuffer(string: "near"))
            await eventually("two hops away hears it") { await second.texts.contains("far") }
            await eventually("the near barrier arrives") { await third.texts.contains("near") }
            #expect(await third.texts == ["near"])
        }
    }

    @Test func separateMeshesInOneProcessDoNotMix() async throws {
        try await TestMesh.with(2) { first in
            try await TestMesh.with(2) { second in
                try await first.build(.line)
                try await second.build(.line)
                let outsider = await Inbox.subscribe(second[1], to: "chat")
                let insider = await Inbox.subscribe(first[1], to: "chat")
                try await first[0].broadcast(type: "chat", payload: ByteBuffer(string: "first"))
                try await second[0].broadcast(type: "chat", payload: ByteBuffer(string: "second"))
                await eventually("both arrive") {
                    let heard = (await outsider.count, await insider.count)
                    return heard == (1, 1)
                }
                #expect(await outsider.texts == ["second"])
                #expect(await insider.texts == ["first"])
            }
        }
    }
}
