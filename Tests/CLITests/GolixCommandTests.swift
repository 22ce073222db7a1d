import Foundation
import TestSupport
import Golix
import Testing

@Suite struct GolixCommandTests {
    let me = try! PrivateIdentity.generate(cipherSuite: .suite3)

    @Test func inspectDescribesEveryKind() async throws {
        let scratch = try ScratchDirectory()
        let secret = Secret.random()
        let container = try me.makeContainer(Array("payload".utf8), secret: secret)
        let frame = try me.makeDynamicBinding(targets: [container.ghid], counter: 0, dynamic: nil)
        let files = [
            try scratch.write("id.gidc", me.identity.serialized()),
            try scratch.write("c.geoc", container.serialized()),
            try scratch.write("f.gobd", Array(frame.serialized().hexString.utf8)),  // hex text works too
        ]
        let result = try await Binary.run(["golix", "inspect"] + files)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("GIDC (identity), suite 3, 170 bytes"))
        #expect(result.output.contains("GEOC (container), suite 3"))
        #expect(result.output.contains("payload:   7 bytes (encrypted)"))
        #expect(result.output.contains("GOBD (dynamic binding frame)"))
        #expect(result.output.contains("dynamic:   \(frame.dynamicGhid.base64)"))
        #expect(result.output.contains("counter:   0"))
        #expect(result.output.components(separatedBy: "well-formed: yes").count == 4)
    }

    @Test func inspectReportsMalformedAndMissingFiles() async throws {
        let scratch = try ScratchDirectory()
        var truncated = try me.makeStaticBinding(target: .pseudorandom()).serialized()
        truncated.removeLast()
        let bad = try scratch.write("bad.gobs", truncated)
        let garbage = try scratch.write("garbage", Array("hello world".utf8))
        let result = try await Binary.run(["golix", "inspect", bad, garbage, scratch.file("missing").path])
        #expect(result.status == 1)
        #expect(result.output.contains("bad.gobs: not a well-formed Golix object: truncated"))
        #expect(result.output.contains("garbage: not a well-formed Golix object: unknown magic"))
        #expect(result.output.contains("missing: not a well-formed Golix object: cannot read"))
    }

    @Test func verifyPassesGoodObjectsAndDecrypts() async throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(at: scratch.file("ids"), withIntermediateDirectories: true)
        try scratch.write("ids/me.gidc", me.identity.serialized())
        let secret = Secret.random()
        let plaintext = Array("hgxd\u{0}hello".utf8)
        let container = try scratch.write("c.geoc", me.makeContainer(plaintext, secret: secret).serialized())
        let binding = try scratch.write("b.gobs", me.makeStaticBinding(target: .pseudorandom()).serialized())
        let result = try await Binary.run([
            "golix", "verify", "--identities", scratch.file("ids").path,
            "--secret", secret.serialized().hexString, container, binding,
        ])
        #expect(result.status == 0, "\(result.output) \(result.error)")
        #expect(result.output.contains("plaintext: \(plaintext.hexString)"))
        #expect(result.output.contains("2 of 2 verified"))
    }

    @Test func verifyFailsOnForgeryAndUnknownSigners() async throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(at: scratch.file("ids"), withIntermediateDirectories: true)
        try scratch.write("ids/me.gidc", me.identity.serialized())
        var forged = try me.makeStaticBinding(target: .pseudorandom()).serialized()
        forged[forged.count - 3] ^= 0x40
        let stranger = try PrivateIdentity.generate()
        let files = [
            try scratch.write("forged.gobs", forged),
            try scratch.write("stranger.gobs", stranger.makeStaticBinding(target: .pseudorandom()).serialized()),
            try scratch.write("good.gobs", me.makeStaticBinding(target: .pseudorandom()).serialized()),
        ]
        let result = try await Binary.run(["golix", "verify", "--identities", scratch.file("ids").path] + files)
        #expect(result.status == 1)
        #expect(result.output.contains("forged.gobs: FAILED: signature verification failed"))
        #expect(result.output.contains("stranger.gobs: FAILED: unknown identity"))
        #expect(result.output.contains("good.gobs: OK"))
        #expect(result.output.contains("1 of 3 verified"))
    }

    @Test func verifyOpensRequestsWithKeys() async throws {
        let scratch = try ScratchDirectory()
        let peer = try PrivateIdentity.generate()
        try FileManager.default.createDirectory(at: scratch.file("ids"), withIntermediateDirectories: true)
        try scratch.write("ids/me.gidc", me.identity.serialized())
        try scratch.write("ids/peer.gidc", peer.identity.serialized())
        let keys = scratch.file("peer.json")
        try JSONEncoder().encode(peer.portable()).write(to: keys)
        let target = Ghid.pseudorandom()
        let request = try scratch.write("r.garq", me.makeRequest(.ack(target: target, status: 0), to: peer.identity).serialized())
        let with = try await Binary.run(["golix", "verify", "--identities", scratch.file("ids").path, "--keys", keys.path, request])
        #expect(with.status == 0, "\(with.output) \(with.error)")
        #expect(with.output.contains("opened: ack"))
        let without = try await Binary.run(["golix", "verify", "--identities", scratch.file("ids").path, request])
        #expect(without.output.contains("MAC not checked"))
    }

    @Test func badArgumentsAreUsageErrors() async throws {
        let unknownFlag = try await Binary.run(["golix", "inspect", "--frobnicate", "f"])
        #expect(unknownFlag.status == 64)
        #expect(unknownFlag.error.contains("Unknown option '--frobnicate'"))
        let noFiles = try await Binary.run(["golix", "inspect"])
        #expect(noFiles.status == 64)
        let scratch = try ScratchDirectory()
        let badSecret = try await Binary.run(["golix", "verify", "--identities", scratch.url.path, "--secret", "xyz", "f"])
        #expect(badSecret.status != 0)
        #expect(badSecret.error.contains("--secret is not hex"))
        let noDirectory = try await Binary.run(["golix", "verify", "--identities", scratch.file("nope").path, "f"])
        #expect(noDirectory.status != 0)
        #expect(noDirectory.error.contains("no such identity directory"))
    }
}
