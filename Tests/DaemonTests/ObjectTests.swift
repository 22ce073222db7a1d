import Foundation
import Golix
@testable import HypergolixDaemon
import HypergolixWire
import TestSupport
import Testing

/// The object model through the IPC protocol, offline (no remote at all).
@Suite struct ObjectTests {
    @Test func createReadUpdateStaticAndDynamic() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let app = try await daemon.app()
        #expect(try await app.whoami() == daemon.fingerprint)
        let dynamic = try await app.new("{\"n\":1}")
        let object = try await app.get(dynamic)
        #expect(object.address == dynamic && object.author == daemon.fingerprint)
        #expect(object.isDynamic && object.apiID == .json && object.state == Array("{\"n\":1}".utf8))
        try await app.update(dynamic, "{\"n\":2}")
        #expect(try await app.get(dynamic).state == Array("{\"n\":2}".utf8))
        let fixed = try await app.new("static", apiID: .raw, dynamic: false)
        #expect(try await app.get(fixed).isDynamic == false)
        #expect(await app.refusal(.updateObject, ObjectDefinition(address: fixed, state: [1]).serialized()) != nil,
                "static objects cannot change")
    }

    @Test func aLongHistoryKeepsReadingThroughTheRatchet() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let app = try await daemon.app()
        let ghid = try await app.new("0", legroom: 2)
        for step in 1...25 { try await app.update(ghid, String(step)) }
        #expect(try await app.get(ghid).state == Array("25".utf8))
        // The frame carries legroom + 1 targets, and old containers are collected with their secrets.
        let frame = try daemon.daemon.store.librarian.retrieve(ghid)
        guard case .dynamicBinding(let binding) = try GolixObject(parsing: frame) else { Issue.record("not a frame"); return }
        #expect(binding.targetVector.count == 3 && binding.counter == 25)
        let secrets = try daemon.daemon.store.read { try $0.allSecrets(vault: daemon.daemon.book.vault) }
        #expect(secrets.count <= 4, "secrets of collected containers are forgotten (account root included)")
    }

    @Test func otherAppsSeeUpdatesAndDeletions() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let writer = try await daemon.app()
        let reader = try await daemon.app()
        let ghid = try await writer.new("first")
        _ = try await reader.get(ghid)
        try await writer.update(ghid, "second")
        #expect(await eventually { await reader.inbox.updates.last?.state == Array("second".utf8) })
        #expect(await writer.inbox.updates.isEmpty, "the writer is not told of its own update")
        _ = try await writer.request(.deleteObject, ghid.bytes)
        #expect(await eventually { await reader.inbox.deletions == [ghid] })
        #expect(await reader.refusal(.getObject, ghid.bytes) != nil, "a deleted object is gone")
    }

    @Test func publicObjectsAreAnnouncedToAppsOfTheirAPI() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let listener = try await daemon.app()
        let api = ApiID.named("test.announce")
        try await listener.register(api)
        let maker = try await daemon.app()
        let ghid = try await maker.new("hello", apiID: api)
        _ = try await maker.new("not for them", apiID: .named("other"))
        _ = try await maker.setToken()
        _ = try await maker.new("private", apiID: api, isPrivate: true)
        #expect(await eventually { await listener.inbox.shares.count == 1 })
        let share = await listener.inbox.shares.first
        #expect(share?.ghid == ghid && share?.origin == daemon.fingerprint && share?.apiID == api)
    }

    @Test func freezeHoldDiscard() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let app = try await daemon.app()
        let ghid = try await app.new("v1")
        let frozen = try require2(Ghid(bytes: try await app.request(.freezeObject, ghid.bytes)))
        try await app.update(ghid, "v2")
        let snapshot = try await app.get(frozen)
        #expect(snapshot.state == Array("v1".utf8) && !snapshot.isDynamic)
        #expect(try await app.request(.holdObject, ghid.bytes) == [1])
        #expect(try await app.request(.discardObject, ghid.bytes) == [1])
        let other = try await daemon.app()
        _ = try await other.get(ghid)
        try await other.update(ghid, "v3")
        try await Task.sleep(for: .milliseconds(100))
        #expect(await app.inbox.updates.isEmpty, "a discarded object is no longer delivered")
        #expect(await app.refusal(.freezeObject, frozen.bytes) != nil, "only dynamic objects freeze")
    }

    @Test func privateObjectsAreEnforced() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let owner = try await daemon.app()
        _ = try await owner.setToken()
        let ghid = try await owner.new("secret", isPrivate: true)
        #expect(try await owner.get(ghid).isPrivate)
        let intruder = try await daemon.app()
        _ = try await intruder.setToken()
        #expect(await intruder.refusal(.getObject, ghid.bytes) != nil)
        #expect(await intruder.refusal(.updateObject, ObjectDefinition(address: ghid, isPrivate: true, state: [1]).serialized()) != nil)
        #expect(await intruder.refusal(.shareObject, ShareNotice.request(ghid, with: daemon.fingerprint)) != nil)
        #expect(await intruder.refusal(.deleteObject, ghid.bytes) != nil)
        #expect(await owner.refusal(.shareObject, ShareNotice.request(ghid, with: daemon.fingerprint)) != nil,
                "private objects cannot be shared, even by their owner")
        let tokenless = try await daemon.app()
        #expect(await tokenless.refusal(.newObject, ObjectDefinition(isPrivate: true, state: [1]).serialized()) != nil,
                "a private object needs an app token")
        // Making it public opens it to everyone; making it private again is refused.
        try await owner.update(ghid, "public now", isPrivate: false)
        #expect(try await intruder.get(ghid).state == Array("public now".utf8))
        #expect(await owner.refusal(.updateObject, ObjectDefinition(address: ghid, isPrivate: true, state: [2]).serialized()) != nil)
    }
}
