import Foundation
import Golix
@testable import HypergolixDaemon
import HypergolixWire
import TestSupport
import Testing

/// Two daemons sharing through a real server (HYPERGOLIX-0.1-WIRE §5).
@Suite struct SharingTests {
    struct Pair {
        let server: RunningServer
        let alice: TestDaemon
        let bob: TestDaemon

        static func make(aliceSuite: CipherSuite = .suite3, bobSuite: CipherSuite = .suite3) async throws -> Pair {
            let server = try await RunningServer()
            let alice = try await TestDaemon(servers: [server.port], suite: aliceSuite)
            let bob = try await TestDaemon(servers: [server.port], suite: bobSuite)
            #expect(await alice.daemon.waitForRemotes())
            #expect(await bob.daemon.waitForRemotes())
            return Pair(server: server, alice: alice, bob: bob)
        }

        func stop() async {
            await alice.stop()
            await bob.stop()
            await server.stop()
        }
    }

    @Test(arguments: [(CipherSuite.suite3, CipherSuite.suite3), (.suite1, .suite3), (.suite3, .suite1)])
    func shareUpdateAndDelete(_ suites: (CipherSuite, CipherSuite)) async throws {
        let pair = try await Pair.make(aliceSuite: suites.0, bobSuite: suites.1)
        defer { Task { await pair.stop() } }
        let api = ApiID.named("test.sharing")
        let bobApp = try await pair.bob.app()
        try await bobApp.register(api)
        let aliceApp = try await pair.alice.app()
        _ = try await aliceApp.setToken()
        let ghid = try await aliceApp.new("{\"v\":0}", apiID: api)
        try await aliceApp.share(ghid, with: pair.bob.fingerprint)

        #expect(await eventually { await bobApp.inbox.shares.count == 1 }, "bob's app hears of the share")
        let share = try require2(await bobApp.inbox.shares.first)
        #expect(share.ghid == ghid && share.origin == pair.alice.fingerprint && share.apiID == api)
        #expect(await eventually { await aliceApp.inbox.shareResults.map(\.code) == [.shareSucceeded] }, "alice's app hears ^S")
        let received = try await bobApp.get(ghid)
        #expect(received.state == Array("{\"v\":0}".utf8) && received.author == pair.alice.fingerprint)

        for step in 1...5 { try await aliceApp.update(ghid, "{\"v\":\(step)}") }
        #expect(await eventually { await bobApp.inbox.updates.last?.state == Array("{\"v\":5}".utf8) })
        let states = await bobApp.inbox.updates.map { String(decoding: $0.state, as: UTF8.self) }
        #expect(states == states.sorted(), "updates arrive in order: \(states)")
        #expect(await bobApp.refusal(.updateObject, ObjectDefinition(address: ghid, state: [1]).serialized()) != nil,
                "only the author can update")

        _ = try await aliceApp.request(.deleteObject, ghid.bytes)
        #expect(await eventually { await bobApp.inbox.deletions == [ghid] }, "the deletion reaches bob's app")
    }

    /// Alice shares a new object with bob, who reads it; then bob's daemon stops, so it misses what alice does
    /// next until `comeBack` starts it again from its directory.
    static func sendBobAway(_ pair: Pair, api: ApiID, state: String) async throws -> (aliceApp: TestApp, ghid: Ghid) {
        let bobApp = try await pair.bob.app()
        try await bobApp.register(api)
        let aliceApp = try await pair.alice.app()
        let ghid = try await aliceApp.new(state, apiID: api)
        try await aliceApp.share(ghid, with: pair.bob.fingerprint)
        #expect(await eventually { await bobApp.inbox.shares.count == 1 })
        #expect(try await bobApp.get(ghid).state == Array(state.utf8))
        await bobApp.close()
        await pair.bob.stop()
        return (aliceApp, ghid)
    }

    /// Bob's daemon again, once alice's uploads are all on the server (where bob's daemon was not listening).
    static func comeBack(_ pair: Pair) async throws -> TestDaemon {
        #expect(await eventually { (try? pair.alice.daemon.queuedUploads(for: "127.0.0.1:\(pair.server.port)")) == 0 })
        return try await TestDaemon(userID: pair.bob.daemon.userID, fingerprint: pair.bob.fingerprint, rootSecret: pair.bob.rootSecret,
                                    servers: [pair.server.port], directory: pair.bob.directory)
    }

    @Test func updatesMadeWhileADaemonWasAwayArriveWhenItComesBack() async throws {
        let pair = try await Pair.make()
        defer { Task { await pair.stop() } }
        let (aliceApp, ghid) = try await Self.sendBobAway(pair, api: .named("test.away"), state: "before")
        for step in 1...3 { try await aliceApp.update(ghid, "while away \(step)") }
        let bob = try await Self.comeBack(pair)
        defer { Task { await bob.stop() } }
        let bobApp = try await bob.app()
        #expect(await eventually { (try? await bobApp.get(ghid).state) == Array("while away 3".utf8) },
                "catching up on connect brings the newest state")
    }

    @Test func aDeletionMadeWhileADaemonWasAwayReachesItWhenItComesBack() async throws {
        let pair = try await Pair.make()
        defer { Task { await pair.stop() } }
        let (aliceApp, ghid) = try await Self.sendBobAway(pair, api: .named("test.away.deleted"), state: "short-lived")
        _ = try await aliceApp.request(.deleteObject, ghid.bytes)
        let bob = try await Self.comeBack(pair)
        defer { Task { await bob.stop() } }
        #expect(await eventually { (try? bob.daemon.store.read { try $0.objects.object(ghid) }) == .some(nil) },
                "the debinding found on reconnect removes bob's copy")
        let bobApp = try await bob.app()
        #expect(await bobApp.refusal(.getObject, ghid.bytes) != nil, "and apps are told it is gone")
    }

    @Test func sharesWaitForAnAppToRegister() async throws {
        let pair = try await Pair.make()
        defer { Task { await pair.stop() } }
        let api = ApiID.named("test.orphan")
        let aliceApp = try await pair.alice.app()
        let ghid = try await aliceApp.new("for later", apiID: api)
        try await aliceApp.share(ghid, with: pair.bob.fingerprint)
        // Nobody at bob's listens yet: the share is kept (and survives in the account) until someone does.
        #expect(await eventually {
            (try? pair.bob.daemon.store.read { try $0.incomingShares(for: api) }.count) == 1
        })
        let latecomer = try await pair.bob.app()
        try await latecomer.register(api)
        #expect(await eventually { await latecomer.inbox.shares.map(\.ghid) == [ghid] })
        #expect(try pair.bob.daemon.store.read { try $0.incomingShares(for: api) }.isEmpty)
    }

    @Test func aShareOfAnObjectThatMovedOnStillOpens() async throws {
        // The original files a handshake's secret under whatever container is current when the recipient
        // looks (§7.12); we find the container it belongs to and ratchet forward.
        let pair = try await Pair.make()
        defer { Task { await pair.stop() } }
        let api = ApiID.named("test.moving")
        let aliceApp = try await pair.alice.app()
        let ghid = try await aliceApp.new("0", apiID: api)
        let object = try await pair.alice.daemon.readOrPull(ghid)
        let secret = try require2(try pair.alice.daemon.store.read { try $0.secret(for: object.container, vault: pair.alice.daemon.book.vault) })
        for step in 1...3 { try await aliceApp.update(ghid, String(step)) }
        #expect(await eventually { (try? pair.alice.daemon.queuedUploads(for: "127.0.0.1:\(pair.server.port)")) == 0 })
        // A handshake carrying the secret of frame 0, sent after frame 3.
        let bobIdentity = try await pair.alice.daemon.knownIdentity(pair.bob.fingerprint)
        let request = try pair.alice.daemon.identity.makeRequest(.handshake(target: ghid, secret: secret), to: bobIdentity)
        let client = try await pair.server.client()
        try await client.publish(request.serialized())
        let bobApp = try await pair.bob.app()
        try await bobApp.register(api)
        #expect(await eventually { await bobApp.inbox.shares.map(\.ghid) == [ghid] })
        #expect(try await bobApp.get(ghid).state == Array("3".utf8))
    }

    @Test func sharingWithAStrangerFailsClearly() async throws {
        let pair = try await Pair.make()
        defer { Task { await pair.stop() } }
        let app = try await pair.alice.app()
        let ghid = try await app.new("x")
        #expect(await app.refusal(.shareObject, ShareNotice.request(ghid, with: .pseudorandom())) != nil)
        #expect(await app.refusal(.shareObject, [1, 2, 3]) != nil)
    }
}

/// Working with no remote, then catching up when one appears (HYPERGOLIX-0.1-WIRE §2.6).
@Suite struct OfflineTests {
    @Test func uploadsQueueDurablyAndReplayInOrder() async throws {
        let port = Int.random(in: 40_000...49_000)
        let first = try await TestDaemon(servers: [port])
        let app = try await first.app()
        let ghid = try await app.new("offline 0")
        for step in 1...4 { try await app.update(ghid, "offline \(step)") }
        let remote = "127.0.0.1:\(port)"
        #expect(try first.daemon.queuedUploads(for: remote) > 10)
        await app.close()
        // Still queued after a restart, then sent when the server appears.
        let daemon = try await first.restarted()
        defer { Task { await daemon.stop() } }
        #expect(try daemon.daemon.queuedUploads(for: remote) > 10)
        let server = try await RunningServer(port: port)
        defer { Task { await server.stop() } }
        #expect(await eventually { (try? daemon.daemon.queuedUploads(for: remote)) == 0 }, "the queue drains")
        let client = try await server.client()
        let frame = try await client.get(ghid)
        guard case .dynamicBinding(let binding) = try GolixObject(parsing: frame) else { Issue.record("not a frame"); return }
        #expect(binding.counter == 4, "every frame went up, in order")
        #expect(try await client.exists(daemon.daemon.userID), "the account root too")
    }
}

/// Two devices of one account write the same object: the one that loses the race rebases (§7.21).
@Suite struct ConflictTests {
    @Test func accountChangesOnTwoDevicesAreMerged() async throws {
        let server = try await RunningServer()
        defer { Task { await server.stop() } }
        let home = try await TestDaemon(servers: [server.port])
        defer { Task { await home.stop() } }
        #expect(await home.daemon.waitForRemotes())
        let homeApp = try await home.app()
        _ = try await homeApp.new("first, from home")
        #expect(await eventually { (try? home.daemon.queuedUploads(for: "127.0.0.1:\(server.port)")) == 0 })
        let laptop = try await home.anotherDevice(servers: [server.port])
        defer { Task { await laptop.stop() } }
        #expect(await laptop.daemon.waitForRemotes())
        let laptopApp = try await laptop.app()
        // Both devices change the account at once; their root frames race.
        async let fromHome = homeApp.new("home's")
        async let fromLaptop = laptopApp.new("laptop's")
        let (h, l) = try await (fromHome, fromLaptop)

        let probe = try await server.client()
        #expect(await eventually {
            guard let bytes = try? await probe.get(home.daemon.userID), case .dynamicBinding(let frame)? = try? GolixObject(parsing: bytes),
                let boxBytes = try? await probe.get(frame.target), let box = try? Container(parsing: boxBytes),
                let document = try? AccountRoot.read(frame: frame, container: box, root: home.rootSecret, fingerprint: home.fingerprint)
            else { return false }
            let owned = Set(document.ownObjects.map(\.ghid))
            return owned.contains(h) && owned.contains(l)
        }, "the published account holds both devices' objects")
        // A third machine that logs in can write both.
        let fresh = try await home.anotherDevice(servers: [server.port])
        defer { Task { await fresh.stop() } }
        let freshApp = try await fresh.app()
        try await freshApp.update(h, "home's, edited elsewhere")
        try await freshApp.update(l, "laptop's, edited elsewhere")
        #expect(await eventually { (try? await homeApp.get(h).state) == Array("home's, edited elsewhere".utf8) })
        #expect(await eventually { (try? await laptopApp.get(l).state) == Array("laptop's, edited elsewhere".utf8) })
    }

    @Test func theLoserOfARaceRebasesOnTheWinner() async throws {
        let cache = try ScratchDirectory()
        let server = try await RunningServer(cacheDirectory: cache.url.path)
        let port = server.port
        let home = try await TestDaemon(servers: [port])
        #expect(await home.daemon.waitForRemotes())
        let homeApp = try await home.app()
        let ghid = try await homeApp.new("v0")
        await homeApp.close()
        await home.stop()  // publishes the account and the object
        let laptop = try await home.anotherDevice(servers: [port])
        let laptopApp = try await laptop.app()
        #expect(try await laptopApp.get(ghid).state == Array("v0".utf8))
        await laptopApp.close()
        await laptop.stop()

        // Home writes frame 1 while the laptop is away…
        let homeAgain = try await home.restarted()
        let homeApp2 = try await homeAgain.app()
        try await homeApp2.update(ghid, "from home")
        #expect(await eventually { (try? homeAgain.daemon.queuedUploads(for: "127.0.0.1:\(port)")) == 0 })
        await server.stop()
        // …and the laptop, offline, writes its own frame 1.
        let laptopAgain = try await laptop.restarted()
        defer { Task { await laptopAgain.stop(); await homeAgain.stop() } }
        let laptopApp2 = try await laptopAgain.app()
        _ = try await laptopApp2.get(ghid)
        try await laptopApp2.update(ghid, "from the laptop")
        // The server comes back: the laptop's frame 1 is refused (00 09), so it rebases as frame 2.
        let revived = try await RunningServer(cacheDirectory: cache.url.path, port: port)
        defer { Task { await revived.stop() } }
        let probe = try await revived.client()
        #expect(await eventually {
            guard let bytes = try? await probe.get(ghid), case .dynamicBinding(let frame)? = try? GolixObject(parsing: bytes) else { return false }
            return frame.counter == 2
        })
        #expect(await eventually { (try? await homeApp2.get(ghid).state) == Array("from the laptop".utf8) }, "home sees the rebased state")
        #expect(try await laptopApp2.get(ghid).state == Array("from the laptop".utf8))
    }
}
