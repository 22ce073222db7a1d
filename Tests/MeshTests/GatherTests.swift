import Mesh
import NIOCore
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct GatherTests {
    static func answerWithName(_ index: Int) -> MeshResponder {
        { _ in ByteBuffer(string: "node \(index)") }
    }

    @Test(arguments: [Shape.ring, .star, .line])
    func gatherCollectsEveryReachableNode(_ shape: Shape) async throws {
        try await TestMesh.with(5) { mesh in
            try await mesh.build(shape)
            for (index, node) in mesh.nodes.enumerated() {
                await node.setResponder(for: "who", Self.answerWithName(index))
            }
            let result = try await mesh[3].gather(type: "who", payload: ByteBuffer(), timeout: .seconds(60))
            #expect(result.isComplete)
            #expect(result.declined.isEmpty)
            #expect(Set(result.replies.keys) == Set(mesh.ids))
            for (index, id) in mesh.ids.enumerated() {
                #expect(result.replies[id].map { String(buffer: $0) } == "node \(index)")
            }
        }
    }

    @Test func respondersSeeTheQuery() async throws {
        try await TestMesh.with(2) { mesh in
            try await mesh.build(.line)
            await mesh[1].setResponder(for: "echo") { query in
                ByteBuffer(string: "\(query.origin.shortDescription) asked \(String(buffer: query.payload))")
            }
            let result = try await mesh[0].gather(type: "echo", payload: ByteBuffer(string: "ping"), timeout: .seconds(60))
            #expect(result.replies[mesh.ids[1]].map { String(buffer: $0) } == "\(mesh.ids[0].shortDescription) asked ping")
            #expect(result.declined == [mesh.ids[0]])
        }
    }

    @Test func nodesWithoutAResponderDeclineAndAreNotWaitedFor() async throws {
        try await TestMesh.with(3) { mesh in
            try await mesh.build(.line)
            await mesh[0].setResponder(for: "who", Self.answerWithName(0))
            await mesh[2].setResponder(for: "who", Self.answerWithName(2))
            await mesh[2].setResponder(for: "what", { _ in nil })
            let started = ContinuousClock.now
            let result = try await mesh[1].gather(type: "who", payload: ByteBuffer(), timeout: .seconds(90))
            #expect(ContinuousClock.now - started < .seconds(60), "waited for the timeout")
            #expect(Set(result.replies.keys) == [mesh.ids[0], mesh.ids[2]])
            #expect(result.declined == [mesh.ids[1]])
            #expect(result.isComplete)
            let none = try await mesh[1].gather(type: "what", payload: ByteBuffer(), timeout: .seconds(90))
            #expect(none.replies.isEmpty && none.declined == Set(mesh.ids))
        }
    }

    @Test func theTimeoutReturnsWhatArrived() async throws {
        try await TestMesh.with(3) { mesh in
            try await mesh.build(.ring)
            let gate = Gate()
            await mesh[0].setResponder(for: "who", Self.answerWithName(0))
            await mesh[1].setResponder(for: "who", Self.answerWithName(1))
            await mesh[2].setResponder(for: "who") { _ in
                await gate.wait()
                return ByteBuffer(string: "too late")
            }
            // Long enough for the two live answers even on a loaded machine.
            let result = try await mesh[0].gather(type: "who", payload: ByteBuffer(), timeout: .seconds(6))
            await gate.open()
            #expect(!result.isComplete)
            #expect(result.missing == [mesh.ids[2]])
            #expect(Set(result.replies.keys) == [mesh.ids[0], mesh.ids[1]])
        }
    }

    @Test func cancellingTheCallerReturnsEarly() async throws {
        try await TestMesh.with(2) { mesh in
            try await mesh.build(.line)
            let gate = Gate()
            await mesh[1].setResponder(for: "slow") { _ in
                await gate.wait()
                return ByteBuffer()
            }
            let node = mesh[0]
            let call = Task { try await node.gather(type: "slow", payload: ByteBuffer(), timeout: .seconds(600)) }
            // Give the query time to leave; cancelling first would also be fine, just less telling.
            await eventually("the query is under way") { await gate.waiters > 0 }
            call.cancel()
            let result = try await call.value
            await gate.open()
            #expect(result.missing == [mesh.ids[1]])
        }
    }

    @Test func aLoneNodeAnswersItself() async throws {
        try await TestMesh.with(1) { mesh in
            await mesh[0].setResponder(for: "who", Self.answerWithName(0))
            let result = try await mesh[0].gather(type: "who", payload: ByteBuffer(), timeout: .seconds(60))
            #expect(result.replies.count == 1 && result.isComplete)
        }
    }
}
