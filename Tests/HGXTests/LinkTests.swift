import Foundation
import Golix
import HypergolixWire
import Testing

@testable import HGX

/// The link against an in-process fake daemon: connection, identity, tokens, startup objects, share handlers.
@Suite struct LinkTests {
    @Test func connectingLearnsWhoWeAre() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            #expect(link.whoami == world.alice.fingerprint)
            #expect(link.isConnected)
            #expect(link.connectionCount == 1)
            #expect(link.token == nil)
            #expect(try await link.fetchWhoami() == world.alice.fingerprint)
            #expect(await world.alice.received(.whoami).count == 2)
        }
    }

    @Test func connectingWithoutADaemonFailsInTime() async throws {
        // A port that was just free: nothing listens there.
        let daemon = await FakeDaemon()
        try await daemon.start()
        let port = await daemon.port
        await daemon.stop()
        let started = ContinuousClock.now
        await #expect(throws: HGXError.self) {
            _ = try await HGXLink.connect(configuration: .testing(port: port, connectTimeout: .milliseconds(300)))
        }
        #expect(ContinuousClock.now - started < .seconds(20))
        do throws(HGXError) {
            _ = try await HGXLink.connect(configuration: .testing(port: port, connectTimeout: .milliseconds(100)))
        } catch {
            guard case .unavailable(let why) = error else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect(why.contains("\(port)"))
        }
    }

    @Test func aNewTokenIsRegisteredAndKeptOnePerLink() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            #expect(try await link.registerToken() == nil)
            let token = try #require(link.token)
            #expect(!token.isNull)
            let sent = await world.alice.received(.setToken)
            #expect(sent.map(\.body) == [AppToken.null.bytes])
            await #expect(throws: HGXError.tokenInUse("this link already registered \(token)")) {
                try await link.registerToken()
            }
            #expect(await world.alice.received(.setToken).count == 1, "refused locally")
        }
    }

    @Test func aSavedTokenResumesWithItsStartupObject() async throws {
        try await FakeWorld.run { world in
            let first = try await world.link(world.alice)
            try await first.registerToken()
            let token = try #require(first.token)
            #expect(try await first.startupObject() == nil)
            let settings = try await first.new(JSONCodec.self, state: ["theme": "dark"])
            try await first.registerStartup(settings)
            #expect(try await first.startupObject() == settings.ghid)
            await #expect(throws: HGXError.self) { try await first.registerStartup(settings.ghid) }

            // Another link cannot take the token while the first holds it.
            let second = try await world.link(world.alice)
            await #expect(throws: HGXError.self) { try await second.registerToken(token) }
            do throws(HGXError) {
                try await second.registerToken(token)
            } catch {
                guard case .tokenInUse = error else {
                    Issue.record("expected tokenInUse, got \(error)")
                    return
                }
            }
            #expect(second.token == nil)

            await first.stop()
            #expect(await eventually { await world.alice.sessionCount == 1 })
            #expect(try await second.registerToken(token) == settings.ghid)
            #expect(second.token == token)
            let restored = try await second.get(JSONCodec.self, settings.ghid)
            #expect(restored.state == ["theme": "dark"])

            try await second.deregisterStartup()
            #expect(try await second.startupObject() == nil)
            await #expect(throws: HGXError.self) { try await second.deregisterStartup() }
        }
    }

    @Test func anUnknownTokenIsRefused() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            await #expect(throws: HGXError.unknownToken) { try await link.registerToken(.random()) }
            #expect(link.token == nil)
        }
    }

    @Test func startupObjectsNeedATokenLocally() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            await #expect(throws: HGXError.unknownToken) { _ = try await link.startupObject() }
            await #expect(throws: HGXError.unknownToken) { try await link.registerStartup(.pseudorandom()) }
            await #expect(throws: HGXError.unknownToken) { try await link.deregisterStartup() }
            await #expect(throws: HGXError.unknownToken) { _ = try await link.new(RawCodec.self, state: [1], private: true) }
            #expect(await world.alice.received.filter { $0.code != .whoami }.isEmpty, "nothing was sent")
        }
    }

    @Test func shareHandlersReceiveGhidOriginAndAPIID() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let api = ApiID.named("tests.share-handler")
            let received = Recorder<IncomingShare>()
            try await bob.registerShareHandler(for: api) { received.append($0) }
            #expect(await world.bob.received(.registerAPI).map(\.body) == [api.bytes])

            let object = try await alice.new(RawCodec.self, state: Array("hi".utf8), apiID: api)
            try await object.share(with: bob.whoami)
            let shares = await received.wait(for: 1)
            #expect(shares == [IncomingShare(ghid: object.ghid, origin: alice.whoami, apiID: api)])

            // Another share with the same API id replaces nothing and arrives too; other API ids do not.
            let other = try await alice.new(RawCodec.self, state: [2], apiID: .named("tests.unhandled"))
            try await other.share(with: bob.whoami)
            let second = try await alice.new(RawCodec.self, state: [3], apiID: api)
            try await second.share(with: bob.whoami)
            #expect(await received.wait(for: 2).map(\.ghid) == [object.ghid, second.ghid])

            try await bob.deregisterShareHandler(for: api)
            #expect(await world.bob.received(.deregisterAPI).map(\.body) == [api.bytes])
        }
    }

    @Test func sharesCanBeIteratedAsAStream() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            let bob = try await world.link(world.bob)
            let api = ApiID.named("tests.share-stream")
            do {
                let stream = try await bob.shares(for: api)
                var objects: [Ghid] = []
                for state in 0..<3 {
                    let object = try await alice.new(RawCodec.self, state: [UInt8(state)], apiID: api)
                    try await object.share(with: bob.whoami)
                    objects.append(object.ghid)
                }
                let seen = await collect(stream, count: 3)
                #expect(seen.map(\.ghid) == objects)
                #expect(seen.allSatisfy { $0.origin == alice.whoami && $0.apiID == api })
                #expect(await world.bob.received(.deregisterAPI).isEmpty)
            }
            // Dropping the stream deregistered the handler.
            #expect(await eventually { await world.bob.received(.deregisterAPI).map(\.body) == [api.bytes] })
        }
    }

    @Test func anotherLocalAppsPublicObjectArrivesWithOurOwnOrigin() async throws {
        try await FakeWorld.run { world in
            let first = try await world.link(world.alice)
            let second = try await world.link(world.alice)
            let api = ApiID.named("tests.local")
            let received = Recorder<IncomingShare>()
            try await second.registerShareHandler(for: api) { received.append($0) }
            let object = try await first.new(JSONCodec.self, state: 1, apiID: api)
            try await first.registerToken()
            _ = try await first.new(JSONCodec.self, state: 2, apiID: api, private: true)
            let later = try await first.new(JSONCodec.self, state: 3, apiID: api)
            // Announcements arrive in order, so a private one would come before the later public one.
            let shares = await received.wait(for: 2)
            #expect(shares == [
                IncomingShare(ghid: object.ghid, origin: first.whoami, apiID: api),
                IncomingShare(ghid: later.ghid, origin: first.whoami, apiID: api),
            ])
        }
    }

    @Test func replacingAHandlerEndsTheOldStream() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            let api = ApiID.named("tests.replace")
            let stream = try await link.shares(for: api)
            try await link.registerShareHandler(for: api) { _ in }
            #expect(await ends(stream))
        }
    }

    @Test func shareOutcomesReportSuccessAndFailure() async throws {
        try await FakeWorld.run { world in
            let alice = try await world.link(world.alice)
            try await alice.registerToken()
            let object = try await alice.new(RawCodec.self, state: [1])
            try await object.share(with: world.bob.fingerprint)
            let stranger = Ghid.pseudorandom()
            try await object.share(with: stranger)
            let outcomes = await collect(alice.shareOutcomes, count: 2)
            #expect(Set(outcomes) == [
                ShareOutcome(ghid: object.ghid, recipient: world.bob.fingerprint, succeeded: true),
                ShareOutcome(ghid: object.ghid, recipient: stranger, succeeded: false),
            ])
            #expect(await eventually { await world.alice.answers.filter { $0.code == .shareSucceeded || $0.code == .shareFailed }.count == 2 })
            let answers = await world.alice.answers.filter { $0.code == .shareSucceeded || $0.code == .shareFailed }
            #expect(answers.allSatisfy { (try? $0.result.get()) == [] }, "share results are answered with an empty body")
        }
    }

    @Test func stoppingEndsEverything() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            let shares = try await link.shares(for: .named("tests.stop"))
            let object = try await link.new(RawCodec.self, state: [1])
            let updates = object.updates
            await link.stop()
            #expect(!link.isConnected)
            #expect(!object.isAlive)
            #expect(await ends(shares))
            #expect(await ends(updates))
            await #expect(throws: HGXError.stopped) { _ = try await link.new(RawCodec.self, state: [2]) }
            await #expect(throws: HGXError.stopped) { try await link.fetchWhoami() }
            #expect(await ends(link.shareOutcomes))
            await link.stop()
        }
    }

    @Test func theConvenienceConnectUsesLoopbackAndTheGivenPort() async throws {
        try await FakeWorld.run { world in
            let link = try await HGXLink.connect(ipcPort: await world.alice.port)
            #expect(link.configuration.host == "127.0.0.1")
            #expect(link.configuration.url == "ws://127.0.0.1:\(await world.alice.port)/")
            #expect(link.whoami == world.alice.fingerprint)
            await link.stop()
        }
        #expect(HGXLink.Configuration(host: "::1", ipcPort: 7772).url == "ws://[::1]:7772/")
        #expect(HGXLink.Configuration(legroom: 0).legroom == 1, "the daemon cannot take legroom 0 (§7.6)")
    }

    @Test func reconnectDelaysGrowToTheirCap() {
        let policy = ReconnectPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        for _ in 0..<100 {
            let first = policy.delay(afterFailures: 1)
            #expect(first >= .milliseconds(75) && first <= .milliseconds(100))
            let third = policy.delay(afterFailures: 3)
            #expect(third >= .milliseconds(300) && third <= .milliseconds(400))
            let many = policy.delay(afterFailures: 1000)
            #expect(many >= .milliseconds(750) && many <= .seconds(1))
        }
        #expect(ReconnectPolicy(initialDelay: .seconds(3), maximumDelay: .seconds(1)).maximumDelay == .seconds(3))
    }
}
