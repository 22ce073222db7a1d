import Foundation
import TestSupport
import Golix
import Testing

/// Objects our code makes with cipher suite 1 pass the reference verifier (py_golix 0.1.6 plus the
/// toolkit's strict checks): structure, hashes, signatures, decryption, request MACs and sequence rules.
@Suite(.serialized, .enabled(if: InteropEnvironment.shouldRun)) struct ReferenceVerifierTests {
    struct Report: Decodable {
        struct Entry: Decodable {
            let file: String
            let type: String
            let ok: Bool
            let errors: [String]
            let fields: [String: JSONValue]?
        }
        let ok: Bool
        let results: [Entry]
    }

    /// Just enough JSON to read the verifier's `fields`.
    enum JSONValue: Decodable {
        case string(String), number(Double), other
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) { self = .string(string) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else { self = .other }
        }
        var string: String? { if case .string(let s) = self { return s } else { return nil } }
    }

    func verify(_ arguments: [String]) async throws -> (Subprocess.Result, Report?) {
        let interop = try #require(InteropEnvironment.interopDirectory)
        let result = try await Subprocess.run(
            InteropEnvironment.venvPython,
            [interop.appendingPathComponent("golix/verify_golix.py").path, "--json"] + arguments
        )
        let report = try? JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
        return (result, report)
    }

    @Test func suiteOneObjectsPassTheReferenceVerifier() async throws {
        guard InteropEnvironment.require() else { return }
        let alice = try PrivateIdentity.generate(cipherSuite: .suite1)
        let bob = try PrivateIdentity.generate(cipherSuite: .suite1)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-verify-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var files = [String]()
        func write(_ name: String, _ bytes: [UInt8]) throws {
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            files.append(url.path)
        }
        try write("alice.gidc", alice.identity.serialized())
        try write("bob.gidc", bob.identity.serialized())

        let plaintext = Array("hgxd\u{0}written by the Swift implementation".utf8)
        let secret = Secret.random(cipherSuite: .suite1)
        let container = try alice.makeContainer(plaintext, secret: secret)
        try write("c0.geoc", container.serialized())
        try write("c0.gobs", alice.makeStaticBinding(target: container.ghid).serialized())
        let others = try (1...2).map { try alice.makeContainer([UInt8]($0..<($0 + 40)), secret: .random(cipherSuite: .suite1)) }
        let frame0 = try alice.makeDynamicBinding(targets: [container.ghid], counter: 0, dynamic: nil)
        let frame1 = try alice.makeDynamicBinding(
            targets: [others[0].ghid, container.ghid], counter: 1, dynamic: frame0.dynamicGhid)
        let frame2 = try alice.makeDynamicBinding(
            targets: [others[1].ghid, others[0].ghid, container.ghid], counter: 2, dynamic: frame0.dynamicGhid)
        try write("f0.gobd", frame0.serialized())
        try write("f1.gobd", frame1.serialized())
        try write("f2.gobd", frame2.serialized())
        try write("x.gdxx", alice.makeDebinding(target: frame0.dynamicGhid).serialized())
        let handshake = try alice.makeRequest(.handshake(target: frame0.dynamicGhid, secret: secret), to: bob.identity)
        try write("hs.garq", handshake.serialized())
        try write("ak.garq", bob.makeRequest(.ack(target: handshake.ghid, status: 0), to: alice.identity).serialized())
        try write("debind-hs.gdxx", bob.makeDebinding(target: handshake.ghid).serialized())

        let bobKeys = directory.appendingPathComponent("bob.json")
        let aliceKeys = directory.appendingPathComponent("alice.json")
        try JSONEncoder().encode(bob.portable(name: "bob")).write(to: bobKeys)
        try JSONEncoder().encode(alice.portable(name: "alice")).write(to: aliceKeys)

        let (result, report) = try await verify(
            ["--keys", bobKeys.path, "--keys", aliceKeys.path, "--secret", secret.serialized().hexString,
             "--sequence", directory.path] + files
        )
        let parsed = try #require(report, "verifier output: \(result.output) \(result.error)")
        #expect(result.status == 0, "\(result.output)\n\(result.error)")
        #expect(parsed.ok)
        #expect(parsed.results.count == files.count)
        for entry in parsed.results {
            #expect(entry.ok, "\(entry.file): \(entry.errors)")
        }
        let geoc = try #require(parsed.results.first { $0.file.hasSuffix("c0.geoc") })
        #expect(geoc.fields?["plaintext_hex"]?.string == plaintext.hexString)
    }

    @Test func theVerifierCatchesADamagedObject() async throws {
        // Proves the check above can fail: one flipped signature byte must be reported.
        guard InteropEnvironment.require() else { return }
        let alice = try PrivateIdentity.generate(cipherSuite: .suite1)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-verify-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(alice.identity.serialized()).write(to: directory.appendingPathComponent("alice.gidc"))
        var damaged = try alice.makeStaticBinding(target: .pseudorandom()).serialized()
        damaged[damaged.count - 1] ^= 1
        let file = directory.appendingPathComponent("bad.gobs")
        try Data(damaged).write(to: file)
        let (result, report) = try await verify([directory.path, file.path])
        #expect(result.status == 1)
        #expect(report?.results.first?.ok == false)
    }
}
