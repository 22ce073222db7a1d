import Foundation
import Golix
import HypergolixWire
import Testing

@testable import HGX

/// The link reconnects by itself and restores its session: `?I`, `+T` with its token, every `+A`, and `>O` for
/// every live object (the original did none of this, HYPERGOLIX-0.1-WIRE §7.7).
@Suite struct ReconnectTests {
    @Test func aDroppedConnectionIsRestoredWithTokenHandlersAndObjects() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            try await bob.registerToken()
            let token = try #require(bob.token)
            let apis = [ApiID.named("tests.reconnect.a"), ApiID.named("tests.reconnect.b")]
            let received = Recorder<IncomingShare>()
            for api in apis { try await bob.registerShareHandler(for: api) { received.append($0) } }
            let original = try await alice.new(JSONCodec.self, state: "before")
            let copy = try await bob.get(JSONCodec.self, original.ghid)
            let updates = copy.updates
            let firstSession = try #require(await world.bob.liveSessions.first)

            await world.bob.dropConnections()
            #expect(await eventually { bob.connectionCount == 2 && bob.isConnected })
            let sessions = await world.bob.liveSessions
            #expect(sessions.count == 1 && sessions[0] != firstSession)
            let newSession = sessions[0]

            let replayed = await world.bob.received.filter { $0.session == newSession }
            #expect(replayed.map(\.code) == [.whoami, .setToken, .registerAPI, .registerAPI, .getObject])
            #expect(replayed.first { $0.code == .setToken }?.body == token.bytes)
            #expect(Set(replayed.filter { $0.code == .registerAPI }.map(\.body)) == Set(apis.map(\.bytes)))
            #expect(replayed.last?.body == original.ghid.bytes)
            #expect(await world.bob.token(of: newSession) == token)
            #expect(bob.token == token)

            // The restored session works: updates and shares arrive again.
            try await original.push("after")
            #expect(await collect(updates, count: 1) == [.updated("after")])
            let shared = try await alice.new(RawCodec.self, state: [1], apiID: apis[1])
            try await shared.share(with: bob.whoami)
            #expect(await received.wait(for: 1).map(\.ghid) == [shared.ghid])
        }
    }

    @Test func anUpdateMissedWhileDisconnectedIsDeliveredOnReconnect() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let original = try await alice.new(JSONCodec.self, state: 1)
            let copy = try await bob.get(JSONCodec.self, original.ghid)
            let updates = copy.updates
            await world.bob.stop()
            #expect(await eventually { !bob.isConnected })
            try await original.push(2)
            try await world.bob.start()
            #expect(await collect(updates, count: 1) == [.updated(2)])
            #expect(bob.connectionCount == 2)
        }
    }

    @Test func operationsWaitForTheDaemonToComeBack() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            await world.alice.stop()
            #expect(await eventually { !link.isConnected })
            let pending = Task { try await link.new(JSONCodec.self, state: "while away") }
            #expect(await eventually { await link.waitingOperations == 1 }, "waiting, not failing")
            try await world.alice.start()
            let object = try await pending.value
            #expect(object.state == "while away")
            #expect(link.connectionCount == 2)
        }
    }

    @Test func operationsGiveUpAfterTheReconnectWait() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice, reconnectWait: .milliseconds(200))
            await world.alice.stop()
            #expect(await eventually { !link.isConnected })
            do throws(HGXError) {
                _ = try await link.fetchWhoami()
                Issue.record("answered without a daemon")
            } catch {
                guard case .unavailable = error else {
                    Issue.record("expected unavailable, got \(error)")
                    return
                }
            }
        }
    }

    @Test func aTokenStillHeldByTheOldConnectionIsRetried() async throws {
        try await FakeWorld.run { world in
            await world.alice.holdTokensOfDroppedConnections()
            let link = try await world.link(world.alice)
            try await link.registerToken()
            let token = try #require(link.token)
            @Sendable func attempts() async -> Int { await world.alice.received(.setToken).filter { $0.body == token.bytes }.count }
            await world.alice.dropConnections()
            // Every attempt is refused while the old connection holds the token…
            #expect(await eventually { await attempts() >= 1 })
            await world.alice.releaseTokens()
            // …and the link keeps trying until one is accepted.
            #expect(await eventually { await attempts() >= 2 && link.connectionCount == 2 && link.isConnected },
                    "refused while the old connection held it, then accepted")
            #expect(link.token == token)
            #expect(try await link.startupObject() == nil, "the daemon knows our token on the new connection")
        }
    }

    @Test func aRequestInFlightWhenTheConnectionDropsFailsAsLost() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            await world.alice.stallNext(.syncObject)
            let object = try await link.new(RawCodec.self, state: [1])
            let pending = Task { try await object.sync() }
            #expect(await eventually { await world.alice.received(.syncObject).count == 1 })
            await world.alice.dropConnections()
            await #expect(throws: HGXError.connectionLost) { try await pending.value }
            #expect(await eventually { link.isConnected })
            try await object.sync()
        }
    }
}
