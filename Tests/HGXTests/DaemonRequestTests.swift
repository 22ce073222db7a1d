import Foundation
import Golix
import HypergolixWire
import Testing

@testable import HGX

/// What the link answers to the daemon's own requests (HYPERGOLIX-0.1-WIRE §3.2, daemon → app), and that
/// handlers and callbacks that talk to the daemon never block the connection (§7.8).
@Suite struct DaemonRequestTests {
    @Test func notificationsAreAnsweredAsTheOriginalAnswersThem() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            let session = try #require(await world.alice.liveSessions.first)
            let unknown = Ghid.pseudorandom()
            let update = ObjectDefinition(address: unknown, author: .pseudorandom(), apiID: .json, state: [0x31])
            #expect(try await world.alice.request(.updateObject, update.serialized(), session: session) == [1],
                    "an update for an object nobody holds is acknowledged, not answered with -O (§7.8)")
            #expect(try await world.alice.request(.deleteObject, unknown.bytes, session: session) == [1])
            let share = ShareNotice.incoming(unknown, from: .pseudorandom(), apiID: .named("tests.nobody"))
            #expect(try await world.alice.request(.shareObject, share, session: session) == [1],
                    "a share without a handler is acknowledged, not answered with -A (§7.8)")
            let result = ShareNotice.result(unknown, recipient: .pseudorandom())
            #expect(try await world.alice.request(.shareSucceeded, result, session: session) == [])
            #expect(try await world.alice.request(.shareFailed, result, session: session) == [])
            #expect(await world.alice.received(.discardObject).isEmpty)
            #expect(await world.alice.received(.deregisterAPI).isEmpty)
            #expect(link.isConnected)
        }
    }

    @Test func malformedOrUnknownRequestsAreRefused() async throws {
        try await FakeWorld.run { world in
            _ = try await world.link(world.alice)
            let session = try #require(await world.alice.liveSessions.first)
            for (code, body) in [(RequestCode.shareObject, [UInt8](repeating: 1, count: 130)),
                                 (.updateObject, [0, 1, 2]), (.deleteObject, [1]), (.shareSucceeded, [1]),
                                 (.whoami, []), (.getObject, Ghid.pseudorandom().bytes)] {
                do throws(WireError) {
                    _ = try await world.alice.request(code, body, session: session)
                    Issue.record("\(code) was accepted")
                } catch {
                    guard case .remote(let refusal) = error else {
                        Issue.record("\(code): expected a refusal, got \(error)")
                        continue
                    }
                    #expect(refusal.code == IPCErrorCode.exception.rawValue, "\(code)")
                }
            }
        }
    }

    @Test func handlersAndCallbacksCanTalkToTheDaemon() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let api = ApiID.named("tests.reentrant")
            let mirrors = Recorder<JSONValue>()
            let ready = Recorder<Bool>()
            let held = Recorder<HGXJSONObject>()
            // The handler fetches the object and creates another; its callback pushes: each a request on the
            // very connection whose notification is being handled.
            try await bob.registerShareHandler(for: api) { share in
                guard let request = try? await bob.get(JSONCodec.self, share.ghid),
                    let mirror = try? await bob.new(JSONCodec.self, state: request.state)
                else { return }
                request.callback = { request in
                    try? await mirror.push(request.state)
                    mirrors.append(mirror.state)
                }
                // The link holds objects weakly, as the original does: whoever wants updates keeps the object.
                held.append(request)
                ready.append(true)
            }
            let object = try await alice.new(JSONCodec.self, state: 0, apiID: api)
            try await object.share(with: bob.whoami)
            #expect(await eventually { ready.count == 1 })
            for value in 1...5 { try await object.push(.integer(value)) }
            #expect(await eventually { mirrors.all.last == 5 })
            #expect(mirrors.all == mirrors.all.sorted { ($0.intValue ?? 0) < ($1.intValue ?? 0) })
        }
    }

    @Test func aSlowCallbackDelaysNothingElse() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let slow = try await alice.new(JSONCodec.self, state: 0)
            let fast = try await alice.new(JSONCodec.self, state: 0)
            let slowCopy = try await bob.get(JSONCodec.self, slow.ghid)
            let fastCopy = try await bob.get(JSONCodec.self, fast.ghid)
            let gate = Recorder<Int>()
            slowCopy.callback = { _ in _ = await eventually(timeout: .seconds(60)) { gate.count > 0 } }
            let fastUpdates = fastCopy.updates
            try await slow.push(1)
            try await fast.push(1)
            #expect(await collect(fastUpdates, count: 1) == [.updated(1)])
            #expect(slowCopy.state == 1, "state is applied before the callback runs")
            #expect(try await bob.fetchWhoami() == bob.whoami, "the connection is free")
            gate.append(1)
        }
    }
}
