import Foundation
import Golix
import HypergolixWire
import Testing

@testable import HGX

struct Status: Codable, Sendable, Equatable {
    var cpu: Double
    var host: String
}

/// Objects against the fake daemons: what `new` and `get` send and return, every operation, local checks,
/// callbacks and update streams, deletion, recasting and equality.
@Suite struct ObjectTests {
    @Test func newObjectsAreSentAsTheOriginalSendsThem() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            let object = try await link.new(JSONCodec.self, state: ["seven": 7])
            let sent = try #require(await world.alice.received(.newObject).first)
            let definition = try ObjectDefinition(parsing: sent.body)
            #expect(definition.address == nil && definition.author == nil)
            #expect(definition.legroom == 7, "the daemon cannot take legroom 0 (§7.6)")
            #expect(definition.apiID == .json)
            #expect(definition.isDynamic && !definition.isPrivate && !definition.isLink)
            #expect(definition.state == Array(#"{"seven":7}"#.utf8))

            #expect(object.apiID == .json)
            #expect(object.isDynamic)
            #expect(!object.isPrivate)
            #expect(object.binder == link.whoami)
            #expect(object.author == link.whoami)
            #expect(object.isOwned && object.isMutable && object.isAlive && !object.isDeleted)
            #expect(object.state == ["seven": 7])

            let custom = ApiID.named("tests.custom")
            let frozen = try await link.new(RawCodec.self, state: [1, 2], apiID: custom, dynamic: false)
            #expect(frozen.apiID == custom)
            #expect(!frozen.isDynamic && frozen.isOwned && !frozen.isMutable)
        }
    }

    @Test func getReturnsTheObjectAsItsBinderMadeIt() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let original = try await alice.new(CodableCodec<Status>.self, state: Status(cpu: 12.5, host: "pi"))
            let copy = try await bob.get(CodableCodec<Status>.self, original.ghid)
            #expect(copy.state == Status(cpu: 12.5, host: "pi"))
            #expect(copy.cpu == 12.5, "key paths of the state read through the object")
            #expect(copy.host == "pi")
            #expect(copy.binder == alice.whoami)
            #expect(copy.apiID == CodableCodec<Status>.defaultAPIID)
            #expect(copy.isDynamic && !copy.isOwned && !copy.isMutable)
            #expect(copy == original, "same ghid, binder and state")
            #expect(copy == Status(cpu: 12.5, host: "pi"))

            #expect(try await bob.get(CodableCodec<Status>.self, original.ghid) === copy, "one live instance per codec")
            let raw = try await bob.get(RawCodec.self, original.ghid)
            #expect(raw.state == Array(#"{"cpu":12.5,"host":"pi"}"#.utf8))
            #expect(await world.bob.received(.getObject).count == 2)
        }
    }

    @Test func gettingAMissingObjectIsRefusedWithItsCode() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            do throws(HGXError) {
                _ = try await link.get(RawCodec.self, .pseudorandom())
                Issue.record("a missing object was returned")
            } catch {
                guard case .ipcFailure(let failure) = error else {
                    Issue.record("expected an IPC failure, got \(error)")
                    return
                }
                #expect(failure.code == .doesNotExist)
                #expect(failure.rawCode == 0x0008)
            }
        }
    }

    @Test func pushesReachOtherHoldersButAreNotEchoed() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let object = try await alice.new(JSONCodec.self, state: "first")
            let copy = try await bob.get(JSONCodec.self, object.ghid)
            let called = Recorder<JSONValue>()
            copy.callback = { called.append($0.state) }
            let updates = copy.updates
            let ownEvents = object.updates
            let ownCalls = Recorder<JSONValue>()
            object.callback = { ownCalls.append($0.state) }

            try await object.push("second")
            #expect(object.state == "second")
            try await object.update { $0 = ["n": 3] }
            #expect(object.state == ["n": 3])

            let events = await collect(updates, count: 2)
            #expect(events == [.updated("second"), .updated(["n": 3])])
            #expect(await called.wait(for: 2) == ["second", ["n": 3]])
            #expect(copy.state == ["n": 3])

            let sent = await world.alice.received(.updateObject).map { try? ObjectDefinition(parsing: $0.body) }
            #expect(sent.map { $0?.address } == [object.ghid, object.ghid])
            #expect(sent.allSatisfy { $0?.legroom == 7 && $0?.isPrivate == false })
            #expect(sent.last??.state == Array(#"{"n":3}"#.utf8))

            // A notification carrying the state we already hold (an echo of our own push) changes nothing and
            // calls nothing; a different one does. They are handled in order, so the second proves the first.
            let session = try #require(await world.alice.liveSessions.first)
            let echo = ObjectDefinition(address: object.ghid, author: alice.whoami, apiID: .json, state: Array(#"{"n":3}"#.utf8))
            #expect(try await world.alice.request(.updateObject, echo.serialized(), session: session) == [1])
            let fresh = ObjectDefinition(address: object.ghid, author: alice.whoami, apiID: .json, state: Array(#""fourth""#.utf8))
            #expect(try await world.alice.request(.updateObject, fresh.serialized(), session: session) == [1])
            #expect(await ownCalls.wait(for: 1) == ["fourth"])
            #expect(await collect(ownEvents, count: 1) == [.updated("fourth")])
            #expect(object.state == "fourth")
        }
    }

    @Test func localChecksRefuseWhatTheDaemonWould() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let object = try await alice.new(RawCodec.self, state: [1])
            let copy = try await bob.get(RawCodec.self, object.ghid)
            let before = await world.bob.received.count

            await #expect(throws: HGXError.locallyImmutable("only the binder can update an object")) {
                try await copy.push([2])
            }
            let fixed = try await alice.new(RawCodec.self, state: [1], dynamic: false)
            await #expect(throws: HGXError.locallyImmutable("a static object cannot be updated")) { try await fixed.push([2]) }
            await #expect(throws: HGXError.locallyImmutable("a static object cannot be frozen")) { _ = try await fixed.freeze() }

            try await alice.registerToken()
            let secret = try await alice.new(RawCodec.self, state: [1], private: true)
            #expect(secret.isPrivate)
            await #expect(throws: HGXError.unsharable) { try await secret.share(with: bob.whoami) }

            #expect(await world.bob.received.count == before, "refused without asking the daemon")
            #expect(await world.alice.received(.shareObject).isEmpty)
            #expect(copy.state == [1])
        }
    }

    @Test func syncHoldAndFreezeAskTheDaemon() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            let object = try await link.new(JSONCodec.self, state: ["v": 1])
            try await object.sync()
            try await object.hold()
            #expect(await world.alice.received(.syncObject).map(\.body) == [object.ghid.bytes])
            #expect(await world.alice.received(.holdObject).map(\.body) == [object.ghid.bytes])

            let frozen = try await object.freeze()
            #expect(frozen.ghid != object.ghid)
            #expect(!frozen.isDynamic)
            #expect(frozen.state == ["v": 1])
            #expect(await world.alice.received(.freezeObject).map(\.body) == [object.ghid.bytes])
            #expect(await world.alice.received(.getObject).map(\.body) == [frozen.ghid.bytes], "freeze then get, as hgx does")
        }
    }

    @Test func discardStopsUpdatesAndKillsTheObject() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let object = try await alice.new(RawCodec.self, state: [1])
            let copy = try await bob.get(RawCodec.self, object.ghid)
            let updates = copy.updates
            try await copy.discard()
            #expect(!copy.isAlive && !copy.isDeleted)
            #expect(await world.bob.received(.discardObject).map(\.body) == [object.ghid.bytes])
            #expect(await ends(updates))
            await #expect(throws: HGXError.deadObject) { try await copy.sync() }
            await #expect(throws: HGXError.deadObject) { try await copy.hold() }
            await #expect(throws: HGXError.deadObject) { try await copy.discard() }
            await #expect(throws: HGXError.deadObject) { try await copy.share(with: alice.whoami) }
            await #expect(throws: HGXError.deadObject) { try await copy.delete() }
            await #expect(throws: HGXError.deadObject) { _ = try await copy.freeze() }
            #expect(throws: HGXError.deadObject) { _ = try copy.recast(to: JSONCodec.self) }
            #expect(await ends(copy.updates), "a dead object's new streams end at once")

            // Getting it again gives a fresh, live object.
            let again = try await bob.get(RawCodec.self, object.ghid)
            #expect(again !== copy && again.isAlive)
        }
    }

    @Test func deletionIsVisibleToOtherHolders() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let object = try await alice.new(JSONCodec.self, state: "doomed")
            let copy = try await bob.get(JSONCodec.self, object.ghid)
            let updates = copy.updates
            let calls = Recorder<(alive: Bool, deleted: Bool)>()
            copy.callback = { calls.append(($0.isAlive, $0.isDeleted)) }

            try await object.delete()
            #expect(!object.isAlive && object.isDeleted)
            #expect(await world.alice.received(.deleteObject).map(\.body) == [object.ghid.bytes])

            #expect(await collect(updates, count: 1) == [.deleted])
            #expect(await ends(updates))
            let seen = await calls.wait(for: 1)
            #expect(seen.count == 1 && seen[0].alive == false && seen[0].deleted == true)
            #expect(copy.isDeleted && !copy.isAlive)
            #expect(copy.state == "doomed", "the last state stays readable")
            await #expect(throws: HGXError.deadObject) { try await copy.sync() }
            #expect(await eventually { await world.bob.answers.contains { $0.code == .deleteObject } })
            let answers = await world.bob.answers.filter { $0.code == .deleteObject }
            #expect(answers.count == 1 && (try? answers[0].result.get()) == [1])
        }
    }

    @Test func recastViewsTheSameBytesThroughAnotherCodec() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let object = try await alice.new(RawCodec.self, state: Array(#"{"a":1}"#.utf8), apiID: .json)
            let raw = try await bob.get(RawCodec.self, object.ghid)
            let json = try raw.recast(to: JSONCodec.self)
            #expect(!raw.isAlive)
            #expect(json.state == ["a": 1])
            #expect(json.ghid == raw.ghid && json.binder == raw.binder && json.apiID == .json)
            #expect(throws: HGXError.self) { _ = try json.recast(to: CodableCodec<Status>.self) }
            #expect(json.isAlive, "a failed recast leaves the object alive")

            let updates = json.updates
            try await object.push(Array(#"{"a":2}"#.utf8))
            #expect(await collect(updates, count: 1) == [.updated(["a": 2])])
            #expect(raw.state == Array(#"{"a":1}"#.utf8), "the old view no longer follows")
        }
    }

    @Test func updatesThatDoNotDecodeAreIgnored() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let object = try await alice.new(RawCodec.self, state: Array("1".utf8))
            let copy = try await bob.get(JSONCodec.self, object.ghid)
            let updates = copy.updates
            try await object.push(Array("not json".utf8))
            try await object.push(Array("2".utf8))
            #expect(await collect(updates, count: 1) == [.updated(2)])
            #expect(copy.state == 2)
        }
    }

    @Test func objectsCompareAsTheSeedSays() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            let first = try await link.new(RawCodec.self, state: Array("Hello world!".utf8))
            let second = try await link.new(RawCodec.self, state: Array("Hello world!".utf8))
            #expect(first != second, "different ghids")
            #expect(first == Array("Hello world!".utf8))
            #expect(first == first)
            #expect(Set([first, second, first]).count == 2)
            #expect(first.description.contains(first.ghid.description))
        }
    }

    @Test func objectsCanBeTheStateOfManyConcurrentUpdates() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let object = try await alice.new(JSONCodec.self, state: 0)
            let copy = try await bob.get(JSONCodec.self, object.ghid)
            let updates = copy.updates
            for value in 1...50 { try await object.push(.integer(value)) }
            let events = await collect(updates, count: 50)
            #expect(events == (1...50).map { .updated(.integer($0)) }, "in order, none lost")
        }
    }

    @Test func droppedObjectsDoNotAccumulateInTheLink() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            var kept: [HGXRawObject] = []
            for index in 0..<(2 * ObjectRegistry.sweepInterval) {
                let object = try await link.new(RawCodec.self, state: [UInt8(index % 256)])
                if index % 100 == 0 { kept.append(object) }
            }
            #expect(link.registry.entryCount < ObjectRegistry.sweepInterval + kept.count)
            #expect(Set(link.registry.liveGhids()) == Set(kept.map(\.ghid)))
        }
    }
}
