import Crypto
import Foundation
import Testing
@testable import Golix

/// Every positive CS1 vector parses, round-trips byte for byte, verifies and (where we can rebuild it)
/// is reproduced by our own constructors with the same address.
@Suite struct ConformanceTests {
    @Test func identitiesImportAndMatchTheirGIDCs() throws {
        for (name, portable) in Vectors.identities.identities {
            let person = try #require(Vectors.people[name])
            #expect(person.ghid.bytes.hexString == portable.ghidHex)
            #expect(person.ghid.base64 == portable.ghidBase64)
            #expect(person.identity.serialized().hexString == portable.gidcHex)
            let parsed = try Identity(parsing: bytes(portable.gidcHex))
            #expect(parsed.ghid == person.ghid)
            #expect(parsed.serialized() == bytes(portable.gidcHex))
            #expect(parsed.cipherSuite == .suite1)
        }
    }

    @Test func exportedIdentityImportsToTheSameKeys() throws {
        let alice = Vectors.alice
        let again = try PrivateIdentity(portable: alice.portable(name: "alice"))
        #expect(again.identity.serialized() == alice.identity.serialized())
        let data = try JSONEncoder().encode(alice.portable())
        let decoded = try JSONDecoder().decode(PortableIdentity.self, from: data)
        #expect(try PrivateIdentity(portable: decoded).ghid == alice.ghid)
    }

    @Test func macKeyMatchesTheReferenceDerivation() throws {
        let expected = try #require(Vectors.identities.macKeys["alice_bob"])
        #expect(Vectors.alice.ghid.addressXOR(Vectors.bob.ghid).hexString == expected.hkdfSaltHex)
        for (me, peer) in [(Vectors.alice, Vectors.bob), (Vectors.bob, Vectors.alice)] {
            let key = try me.requestMACKey(with: peer.identity).key.withUnsafeBytes { Array($0) }
            #expect(key.hexString == expected.macKeyHex)
        }
    }

    @Test func containers() throws {
        let file = try Vectors.load("geoc", as: Vectors.File<Vectors.Record>.self)
        #expect(file.vectors.count == 4)
        for record in file.vectors {
            let packed = bytes(record.packedHex)
            let container = try Container(parsing: packed)
            #expect(container.serialized() == packed, "\(record.name) round trip")
            #expect(container.ghid == ghid(record.ghidHex))
            #expect(container.ghid.base64 == record.ghidStr)
            try Vectors.verifier.verify(.container(container))
            let secretRecord = try #require(record.secret)
            let secret = try Secret(parsing: bytes(secretRecord.serializedHex))
            #expect(secret.key == bytes(secretRecord.keyHex) && secret.seed == bytes(secretRecord.seedHex))
            #expect(try container.plaintext(using: secret) == bytes(record.plaintextHex), "\(record.name) decrypts")
            // Our constructor produces the same address (PSS signatures are randomised; the hash is not).
            let author = try #require(Vectors.people[record.author ?? ""])
            let ours = try author.makeContainer(bytes(record.plaintextHex), secret: secret)
            #expect(ours.ghid == container.ghid, "\(record.name) rebuilt")
            try Vectors.verifier.verify(.container(ours))
        }
    }

    @Test func emptyContainerParsesButIsNeverMade() throws {
        let file = try Vectors.load("geoc", as: Vectors.File<Vectors.Record>.self)
        let record = try #require(file.referenceLimitations?.first)
        let container = try Container(parsing: bytes(record.packedHex))
        #expect(container.payload.isEmpty)
        try Vectors.verifier.verify(.container(container))
        #expect(throws: GolixError.unrepresentable("a container needs at least one byte of payload")) {
            try Vectors.alice.makeContainer([], secret: .random(cipherSuite: .suite1))
        }
    }

    @Test func staticBindings() throws {
        let file = try Vectors.load("gobs", as: Vectors.File<Vectors.Record>.self)
        #expect(file.vectors.count == 3)
        for record in file.vectors {
            let packed = bytes(record.packedHex)
            let binding = try StaticBinding(parsing: packed)
            #expect(binding.serialized() == packed)
            #expect(binding.ghid == ghid(record.ghidHex))
            #expect(binding.target == ghid(record.targetGhidHex))
            try Vectors.verifier.verify(.staticBinding(binding))
            let binder = try #require(Vectors.people[record.binder ?? ""])
            #expect(try binder.makeStaticBinding(target: binding.target).ghid == binding.ghid)
        }
    }

    @Test func dynamicBindingFrames() throws {
        let file = try Vectors.load("gobd", as: Vectors.GOBDFile.self)
        let record = try #require(file.bindings.first)
        let binder = try #require(Vectors.people[record.binder])
        #expect(record.frames.map(\.counter) == [0, 1, 2])
        for frame in record.frames {
            let packed = bytes(frame.packedHex)
            let binding = try DynamicBinding(parsing: packed)
            #expect(binding.serialized() == packed)
            #expect(binding.ghid == ghid(frame.frameGhidHex))
            #expect(binding.dynamicGhid == ghid(record.dynamicGhidHex))
            #expect(binding.counter == frame.counter)
            #expect(binding.targetVector == frame.targetVectorHex.map { ghid($0) })
            try Vectors.verifier.verify(.dynamicBinding(binding))
            let ours = try binder.makeDynamicBinding(
                targets: binding.targetVector,
                counter: binding.counter,
                dynamic: frame.counter == 0 ? nil : binding.dynamicGhid
            )
            #expect(ours.ghid == binding.ghid && ours.dynamicGhid == binding.dynamicGhid, "frame \(frame.counter)")
        }
    }

    @Test func debindings() throws {
        let file = try Vectors.load("gdxx", as: Vectors.File<Vectors.Record>.self)
        #expect(file.vectors.count == 4)
        for record in file.vectors {
            let packed = bytes(record.packedHex)
            let debinding = try Debinding(parsing: packed)
            #expect(debinding.serialized() == packed)
            #expect(debinding.ghid == ghid(record.ghidHex))
            try Vectors.verifier.verify(.debinding(debinding))
            let debinder = try #require(Vectors.people[record.debinder ?? ""])
            #expect(try debinder.makeDebinding(target: debinding.target).ghid == debinding.ghid)
        }
    }

    @Test func requestsOpenWithTheRecipientsKeys() throws {
        let file = try Vectors.load("garq", as: Vectors.File<Vectors.Record>.self)
        #expect(file.vectors.count == 4)
        for record in file.vectors {
            let packed = bytes(record.packedHex)
            let request = try Request(parsing: packed)
            #expect(request.serialized() == packed)
            #expect(request.ghid == ghid(record.ghidHex))
            try Vectors.verifier.verify(.request(request))
            let author = try #require(Vectors.people[record.author ?? ""])
            let recipient = try #require(Vectors.people[record.recipient ?? ""])
            let plaintext = try recipient.open(request, from: author.identity)
            #expect(plaintext.serialized() == bytes(record.innerPlaintextHex), "\(record.name) inner")
            #expect(try RequestPlaintext(parsing: bytes(record.innerPlaintextHex)) == plaintext)
            #expect(plaintext.author == author.ghid)
            switch (record.type, plaintext.payload) {
            case ("HS", .handshake), ("AK", .ack), ("NK", .nak): break
            default: Issue.record("\(record.name): payload \(plaintext.payload) is not \(record.type ?? "?")")
            }
            // Byte-exact assembly around the reference ciphertext (OAEP itself is randomised).
            let rebuilt = Request(
                sealedPayload: bytes(record.ciphertextHex),
                to: recipient.identity,
                macKey: try author.requestMACKey(with: recipient.identity)
            )
            #expect(rebuilt.serialized() == packed, "\(record.name) assembled")
            #expect(rebuilt.mac == bytes(record.macHex))
            // A request is only for its recipient.
            #expect(throws: GolixError.self) { try author.decrypt(request) }
        }
    }

    @Test func requestsWeMakeOpenBothWays() throws {
        let target = Ghid.pseudorandom()
        let secret = Secret.random(cipherSuite: .suite1)
        for payload in [RequestPayload.handshake(target: target, secret: secret), .ack(target: target, status: 0),
                        .nak(target: target, status: 258)] {
            let request = try Vectors.alice.makeRequest(payload, to: Vectors.bob.identity)
            #expect(request.serialized().count == 715)
            let reparsed = try Request(parsing: request.serialized())
            let opened = try Vectors.bob.open(reparsed, from: Vectors.alice.identity)
            #expect(opened.payload == payload && opened.author == Vectors.alice.ghid)
        }
    }
}
