import PropertyBased
import Testing
@testable import Golix

/// Random objects of every kind and suite round-trip; random damage never crashes the parser and never
/// yields an object that verifies.
@Suite struct PropertyTests {
    static let modern = try! PrivateIdentity.generate(cipherSuite: .suite3)
    static let modernPeer = try! PrivateIdentity.generate(cipherSuite: .suite3)

    static func author(_ suite: CipherSuite) -> PrivateIdentity {
        suite == .suite1 ? Vectors.alice : modern
    }

    static func recipient(_ suite: CipherSuite) -> PrivateIdentity {
        suite == .suite1 ? Vectors.bob : modernPeer
    }

    static let verifier = Verifier(identities: [Vectors.alice, Vectors.bob, modern, modernPeer].map(\.identity))

    /// Builds one object of `kind` from random material.
    static func make(_ kind: GolixObject.Kind, _ suite: CipherSuite, _ payload: [UInt8], _ targets: Int) throws -> GolixObject {
        let author = author(suite)
        let vector = (0..<targets).map { _ in Ghid.pseudorandom() }
        switch kind {
        case .identity:
            return .identity(author.identity)
        case .container:
            return .container(try author.makeContainer(payload, secret: .random(cipherSuite: suite)))
        case .staticBinding:
            return .staticBinding(try author.makeStaticBinding(target: vector[0]))
        case .dynamicBinding:
            let first = try author.makeDynamicBinding(targets: [vector[0]], counter: 0, dynamic: nil)
            if targets == 1 { return .dynamicBinding(first) }
            return .dynamicBinding(try author.makeDynamicBinding(
                targets: vector, counter: UInt64(payload.count), dynamic: first.dynamicGhid))
        case .debinding:
            return .debinding(try author.makeDebinding(target: vector[0]))
        case .request:
            let payload: RequestPayload = payload.count % 3 == 0
                ? .handshake(target: vector[0], secret: .random(cipherSuite: suite))
                : .ack(target: vector[0], status: UInt32(payload.count))
            return .request(try author.makeRequest(payload, to: recipient(suite).identity))
        }
    }

    /// Everything a receiver would check: parse, signature, and for a request, opening as its recipient.
    static func accept(_ bytes: [UInt8]) throws(GolixError) -> GolixObject {
        let object = try GolixObject(parsing: bytes)
        try verifier.verify(object)
        if case .request(let request) = object {
            let recipient = [Vectors.bob, modernPeer].first { $0.ghid == request.recipient } ?? modernPeer
            let plaintext = try recipient.decrypt(request)
            try recipient.authenticate(request, from: verifier.identity(plaintext.author))
        }
        return object
    }

    static let kinds = Gen.element(of: GolixObject.Kind.allCases).map { $0! }
    static let suites = Gen.element(of: CipherSuite.allCases).map { $0! }
    static let payloads = Gen.int(in: 0...255).map { UInt8($0) }.array(of: 1...2048)

    @Test func randomObjectsRoundTripAndVerify() async {
        await propertyCheck(count: 120, input: Self.kinds, Self.suites, Self.payloads, Gen.int(in: 1...8)) {
            kind, suite, payload, targets in
            do {
                let object = try Self.make(kind, suite, payload, targets)
                let bytes = object.serialized()
                let parsed = try Self.accept(bytes)
                #expect(parsed == object)
                #expect(parsed.serialized() == bytes)
                #expect(parsed.kind == kind && parsed.cipherSuite == suite)
                if case .container(let container) = parsed {
                    #expect(container.payload.count == payload.count)
                }
            } catch {
                Issue.record("\(kind) \(suite): \(error)")
            }
        }
    }

    enum Mutation: CaseIterable {
        case flipBit, truncate, append, insert, delete, overwriteHeader
    }

    static func mutate(_ bytes: [UInt8], _ mutation: Mutation, _ position: Int, _ value: UInt8) -> [UInt8] {
        var out = bytes
        let index = position % bytes.count
        switch mutation {
        case .flipBit: out[index] ^= 1 << (value % 8)
        case .truncate: out.removeSubrange(index...)
        case .append: out.append(value)
        case .insert: out.insert(value, at: index)
        case .delete: out.remove(at: index)
        case .overwriteHeader: out[position % 9] = out[position % 9] &+ max(value, 1)
        }
        return out
    }

    @Test func damagedObjectsNeverVerify() async {
        let mutations = Gen.element(of: Mutation.allCases).map { $0! }
        await propertyCheck(
            count: 300,
            input: Self.kinds, Self.suites, mutations, Gen.int(in: 0...1_000_000), Gen.int(in: 0...255)
        ) { kind, suite, mutation, position, value in
            guard let object = try? Self.make(kind, suite, [UInt8(value)] + [1, 2, 3], 2) else {
                Issue.record("could not build \(kind)")
                return
            }
            let damaged = Self.mutate(object.serialized(), mutation, position, UInt8(value))
            #expect(throws: GolixError.self, "\(kind) \(suite) \(mutation) at \(position)") {
                try Self.accept(damaged)
            }
        }
    }

    @Test func arbitraryBytesNeverCrashTheParser() async {
        let magics = Gen.element(of: GolixObject.Kind.allCases.map { Array($0.rawValue.utf8) }).map { $0! }
        await propertyCheck(count: 500, input: magics, Self.payloads, Gen.int(in: 0...3)) { magic, noise, suite in
            // Plausible headers followed by noise reach deep into every parser.
            let input = magic + [0, 0, 0, UInt8(noise.count % 17), UInt8(suite)] + noise
            #expect(throws: GolixError.self) { try GolixObject(parsing: input) }
        }
    }
}
