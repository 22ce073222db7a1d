import Foundation
import Golix
import HGXDemos
import HypergolixWire
import TestSupport
import Testing

@testable import HGX

/// The library against the original Python Hypergolix 0.1.0: its server and two daemons (alice and bob),
/// started by the interop toolkit on private ports. Runs in CI; elsewhere only when the toolkit is present.
@Suite(.serialized, .enabled(if: InteropEnvironment.shouldRun)) struct HGXInteropTests {
    static let swiftToPython = ApiID.named("hgx.interop.swift-to-python")
    static let pythonReply = ApiID.named("hgx.interop.python-reply")
    static let pythonToSwift = ApiID.named("hgx.interop.python-to-swift")

    /// Whose daemons and server the tests run against: the original's (the default) or, with
    /// `HGX_INTEROP_DAEMONS=cmd`, this package's `hypergolix`.
    static let daemons: InteropRun.Implementation =
        ProcessInfo.processInfo.environment["HGX_INTEROP_DAEMONS"] == "cmd" ? .cmd : .py

    /// Runs `body` with a server and two daemons started for it, stopping them afterwards whatever happens.
    static func withRun(_ body: @escaping @Sendable (InteropRun) async throws -> Void) async throws {
        try await InteropLock.shared.run {
            let run = try InteropRun(server: daemons, alice: daemons, bob: daemons)
            do {
                try await SharedPorts.start(run)
                try await body(run)
            } catch {
                await run.stop()
                throw error
            }
            await run.stop()
        }
    }

    static func link(port: Int) async throws -> HGXLink {
        try await HGXLink.connect(configuration: .testing(port: port, connectTimeout: .seconds(60), reconnectWait: .seconds(60)))
    }

    @Test func swiftAppsUseEveryOperationThroughTwoDaemons() async throws {
        guard InteropEnvironment.require() else { return }
        try await Self.withRun { run in
            let alice = try await Self.link(port: run.alicePort)
            let bob = try await Self.link(port: run.bobPort)
            do {
                try await Self.exercise(alice: alice, bob: bob, run: run)
            } catch {
                await alice.stop()
                await bob.stop()
                throw InteropFailure("\(error)\n\(run.consoleLogs())")
            }
            await alice.stop()
            await bob.stop()
        }
    }

    static func exercise(alice: HGXLink, bob: HGXLink, run: InteropRun) async throws {
        let limit = Duration.seconds(60)
        #expect(alice.whoami.base64 == run.fingerprint("alice"))
        #expect(bob.whoami.base64 == run.fingerprint("bob"))
        #expect(try await alice.fetchWhoami() == alice.whoami)

        // Tokens and the startup object, resumed on a second connection.
        try await alice.registerToken()
        let token = try #require(alice.token)
        let settings = try await alice.new(JSONCodec.self, state: ["theme": "dark"], private: true)
        #expect(settings.isPrivate)
        await #expect(throws: HGXError.unsharable) { try await settings.share(with: bob.whoami) }
        try await alice.registerStartup(settings)
        #expect(try await alice.startupObject() == settings.ghid)
        await #expect(throws: HGXError.self) { try await alice.registerStartup(settings) }
        let resumed = try await link(port: run.alicePort)
        await #expect(throws: HGXError.self) { try await resumed.registerToken(token) }
        await alice.dropConnectionForTesting()
        #expect(await eventually(timeout: limit) { alice.connectionCount == 2 && alice.isConnected })
        #expect(try await alice.startupObject() == settings.ghid, "the token was registered again after reconnecting")
        await resumed.stop()
        let other = try await link(port: run.alicePort)
        await #expect(throws: HGXError.unknownToken) { try await other.registerToken(.random()) }
        await other.stop()

        // Sharing: bob's handler gets ghid, origin and API id; the object arrives as alice made it.
        let api = ApiID.named("hgx.interop.swift-swift")
        let shares = Recorder<IncomingShare>()
        try await bob.registerShareHandler(for: api) { shares.append($0) }
        try await bob.registerToken()
        let object = try await alice.new(JSONCodec.self, state: ["count": 0, "name": "Zoë ✓"], apiID: api)
        #expect(object.isOwned && object.isMutable)
        try await object.share(with: bob.whoami)
        let shared = try #require(await shares.wait(for: 1, timeout: limit).first)
        #expect(shared == IncomingShare(ghid: object.ghid, origin: alice.whoami, apiID: api))
        let copy = try await bob.get(JSONCodec.self, object.ghid)
        #expect(copy.state == ["count": 0, "name": "Zoë ✓"])
        #expect(copy.binder == alice.whoami && copy.apiID == api && copy.isDynamic && !copy.isOwned)
        #expect(copy == object)
        await #expect(throws: HGXError.self) { try await copy.push(["count": -1]) }

        // Updates reach bob's callback and stream in order.
        let calls = Recorder<JSONValue>()
        copy.callback = { calls.append($0.state) }
        let updates = copy.updates
        for count in 1...3 { try await object.push(["count": .integer(count)]) }
        let arrived = await collect(updates, count: 3, within: limit)
        #expect(arrived == (1...3).map { .updated(["count": .integer($0)]) }, "\(arrived)")
        #expect(await calls.wait(for: 3, timeout: limit).count == 3, "\(calls.all)")

        // After bob's connection drops, his token, handler and tracked object come back.
        await bob.dropConnectionForTesting()
        #expect(await eventually(timeout: limit) { bob.connectionCount == 2 && bob.isConnected })
        _ = try await bob.startupObject()
        let afterReconnect = copy.updates
        try await object.push(["count": 4])
        #expect(await collect(afterReconnect, count: 1, within: limit) == [.updated(["count": 4])])
        let second = try await alice.new(RawCodec.self, state: Array("second".utf8), apiID: api)
        try await second.share(with: bob.whoami)
        #expect(await shares.wait(for: 2, timeout: limit).map(\.ghid).last == second.ghid)

        // sync, hold, freeze, recast, discard (on the second object: a held object survives its deletion).
        try await copy.sync()
        try await second.hold()
        let frozen = try await second.freeze()
        #expect(!frozen.isDynamic && frozen.state == Array("second".utf8) && frozen.ghid != second.ghid)
        let raw = try await bob.get(RawCodec.self, second.ghid)
        #expect(raw.state == Array("second".utf8))
        let text = try raw.recast(to: RawCodec.self)
        #expect(!raw.isAlive && text.state == raw.state)
        try await text.discard()
        await #expect(throws: HGXError.deadObject) { try await text.sync() }

        // A missing object is refused (not waited for forever).
        do {
            try await TimeLimit.run(limit, waitingFor: "the refusal of a missing object") {
                _ = try await bob.get(RawCodec.self, .pseudorandom())
            }
            Issue.record("a missing object was returned")
        } catch {
            #expect(error is HGXError, "\(error)")
        }

        // Deletion is visible to the other holder.
        let ending = copy.updates
        try await object.delete()
        #expect(await collect(ending, count: 1, within: limit) == [.deleted])
        #expect(copy.isDeleted)

        // The echo demo between the two users, timed.
        let responder = try await EchoDemo.startResponder(link: bob)
        let times = try await EchoDemo.runRequester(link: alice, responder: bob.whoami, rounds: 5, timeout: limit)
        await responder.stop()
        #expect(times.count == 5)
        print("HGX interop: echo through \(run.description) (debug build), median \(EchoDemo.milliseconds(EchoDemo.median(times)))")
    }

    @Test func swiftAndPythonAppsExchangeJSONObjectsBothWays() async throws {
        guard InteropEnvironment.require() else { return }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Python/hgx_peer.py")
        try await Self.withRun { run in
            let swift = try await Self.link(port: run.alicePort)
            let scratch = try ScratchDirectory()
            let arguments = [
                script.path, "--port", String(run.bobPort), "--peer", swift.whoami.base64, "--dir", scratch.url.path,
            ]
            let python = Task { try await Subprocess.run(InteropEnvironment.venvPython, arguments) }
            do {
                try await Self.converse(swift: swift, run: run, scratch: scratch)
                try await Self.reportToTheTutorialsReader(swift: swift, run: run, scratch: scratch)
            } catch {
                await swift.stop()
                let output = (try? await python.value).map { "\($0.output)\n\($0.error)" } ?? ""
                throw InteropFailure("\(error)\npython said:\n\(output)\n\(run.consoleLogs())")
            }
            let result = try await python.value
            await swift.stop()
            #expect(result.status == 0, "python said:\n\(result.output)\n\(result.error)")
            #expect(result.output.contains(#""event": "pass""#), "\(result.output)")
        }
    }

    /// Our telemeter on alice, the telemeter tutorial's own reader (unmodified Python, seed 003) on bob: it
    /// pairs, sets the interval, and prints our reports.
    static func reportToTheTutorialsReader(swift: HGXLink, run: InteropRun, scratch: ScratchDirectory) async throws {
        let limit = Duration.seconds(90)
        let python = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Python")
        let shim = try run.interop.appendingPathComponent("hgx_ipc_port_shim.py")
        let telemeter = Telemeter(link: swift, initialInterval: 5, policy: IntervalPolicy(minimum: 1))
        try await telemeter.start()
        let status = try #require(await telemeter.status)
        let reporting = Task { await telemeter.run() }
        let log = scratch.file("reader.log")
        let reader = try BackgroundProcess(
            InteropEnvironment.venvPython,
            ["-u", shim.path, String(run.bobPort), python.appendingPathComponent("seed_telemeter.py").path,
             "--telereader", swift.whoami.base64, "--interval", "1.5"],
            log: log)
        let output: @Sendable () -> String = { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        let bob = run.fingerprint("bob")
        let paired = await eventually(timeout: limit) { await telemeter.pairedFingerprint?.base64 == bob }
        let obeyed = await eventually(timeout: limit) { await telemeter.intervalSeconds == 1.5 }
        let printed = await eventually(timeout: limit) { output().components(separatedBy: "==========\nCPU:").count > 3 }
        reporting.cancel()
        await reporting.value
        await reader.stop()
        #expect(paired, "the tutorial's reader paired with our telemeter")
        #expect(obeyed, "our telemeter took the reader's interval")
        #expect(printed, "the reader printed our reports:\n\(output())")
        #expect(output().contains("Incoming status: \(status.ghid.base64)"))
    }

    /// The Swift side of `Python/hgx_peer.py`'s conversation.
    static func converse(swift: HGXLink, run: InteropRun, scratch: ScratchDirectory) async throws {
        let limit = Duration.seconds(90)
        // Handlers first: a share that arrives before its handler is never delivered again (§7.14).
        let fromPython = try await swift.shares(for: pythonToSwift)
        let replies = try await swift.shares(for: pythonReply)
        let readyPath = scratch.file("ready.json").path
        #expect(await eventually(timeout: limit) { FileManager.default.fileExists(atPath: readyPath) })
        let ready = try JSONValue(parsing: [UInt8](Data(contentsOf: scratch.file("ready.json"))))
        let pythonFingerprint = try #require(ready["fingerprint"]?.stringValue.flatMap { Ghid(base64: $0) })
        #expect(pythonFingerprint.base64 == run.fingerprint("bob"))

        // Python -> Swift: read P1 exactly, follow its update and its deletion.
        let share = try #require(await first(of: fromPython, within: limit))
        #expect(share.origin == pythonFingerprint && share.apiID == pythonToSwift)
        let raw = try await swift.get(RawCodec.self, share.ghid)
        let bytes = raw.state
        let p1 = try raw.recast(to: JSONCodec.self)
        #expect(p1.binder == pythonFingerprint && !p1.isOwned)
        #expect(p1.state.objectValue?.keys == ["z", "a", "unicode", "big", "nan", "ninf", "nested"], "Python's key order")
        #expect(p1.state["z"] == "last key first")
        #expect(p1.state["a"] == [1, 2.0, -0.0, 1e100, .double(.leastNonzeroMagnitude), 0.1])
        #expect(p1.state["unicode"] == "\u{FC}\u{2603}\u{1F680}")
        #expect(p1.state["big"] == .bigInteger("-98765432109876543210"))
        #expect(p1.state["nan"]?.doubleValue?.isNaN == true)
        #expect(p1.state["ninf"] == .double(-.infinity))
        #expect(p1.state["nested"] == ["k": nil, "t": true])
        #expect(JSONCodec.encode(p1.state) == bytes, "we write Python's bytes back unchanged: \(String(decoding: bytes, as: UTF8.self))")
        let p1Events = p1.updates
        _ = FileManager.default.createFile(atPath: scratch.file("got-p1").path, contents: nil)
        #expect(await collect(p1Events, count: 1, within: limit) == [.updated(["round": 2, "text": "from python \u{2713}"])])
        _ = FileManager.default.createFile(atPath: scratch.file("got-p2").path, contents: nil)
        #expect(await collect(p1Events, count: 1, within: limit) == [.deleted])

        // Swift -> Python: Python checks our bytes and state, answers, mirrors our update, and deletes its
        // answer when we delete ours.
        let s1: JSONValue = [
            "text": "h\u{E9}llo w\u{F6}rld \u{2713} \u{1F600}", "n": 42, "big": .bigInteger("123456789012345678901234567890"),
            "pi": 3.141592653589793, "tiny": 1e-07, "list": [1, 2.5, true, false, nil, "x"], "nested": ["a": ["b": []]],
            "esc": "quote\" backslash\\ nl\n tab\t ctrl\u{1} del\u{7F}", "inf": .double(.infinity), "round": 1,
            "nan": .double(.nan),
        ]
        let ours = try await swift.new(JSONCodec.self, state: s1, apiID: swiftToPython)
        try await ours.share(with: pythonFingerprint)
        let replyShare = try #require(await first(of: replies, within: limit) { $0.origin == pythonFingerprint })
        let reply = try await swift.get(JSONCodec.self, replyShare.ghid)
        #expect(reply.binder == pythonFingerprint)
        #expect(reply.state.pythonJSONString == #"{"echo":"# + s1.pythonJSONString + #","from":"python"}"#)
        let replyEvents = reply.updates
        let s2: JSONValue = ["round": 2, "text": "second \u{E9}"]
        try await ours.push(s2)
        #expect(await collect(replyEvents, count: 1, within: limit) == [.updated(["echo": s2, "from": "python"])])
        try await ours.delete()
        #expect(await collect(replyEvents, count: 1, within: limit) == [.deleted])
    }
}
