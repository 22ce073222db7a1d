import Crypto
import Testing
@testable import Golix

/// Known answers for cipher suite 3, computed by an independent implementation of docs/cipher-suite-3.md
/// (scripts/suite3-kat.py, Python `cryptography`). Ed25519 is deterministic, so whole objects are fixed.
@Suite struct SuiteThreeTests {
    enum KAT {
        static let kGIDC =
            "47494443000000020379b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad0496645869aff4505497"
                + "32cbaaed5e5df9b30a6da31cb0e5742bad5ad4a1a768f1a67b64b101b1d0be5a8704bd078f9895001fc03e8e9f9522f1"
                + "88dd128d9846d4846601ddbfd92e64750bc872a86b56b37f547d48c6065470a001838f700a315f0c827d5ead56486da5"
                + "31fc63e3114e2e69d539c01927358ccba8238ba9655229fcfa52"
        static let mGIDC =
            "474944430000000203020bd427446b723424d80d2cad352ba3df3649d0ef8faae0ca7eb25443941b29ad438bfae31f6c"
                + "093d61d4339255ea798092c9fadd07b97827f4b0ae9dee7c1c3a553d74792d727efa9b9a4cde3da1ad93f1a2d0c09cb6"
                + "39b1a3c0fda14cbe2401a8b8cc5d54074a2d0db786934a113971f3ca1deeffca97a032c7fab1b56c17f988e780428533"
                + "bff52f7a93f22754efb0176c166fe7612d4261be10cdd2ff5894"
        static let geoc =
            "47454f430000000e0301ddbfd92e64750bc872a86b56b37f547d48c6065470a001838f700a315f0c827d5ead56486da5"
                + "31fc63e3114e2e69d539c01927358ccba8238ba9655229fcfa52000000000000000efbbd7d4cd90c9b3e0be4cbcec68c"
                + "01119ef9179d3cd760582abcab40b74bb95141a4712750b1725e82d457bd01b16c6e33297b06214989bad6fce02aa088"
                + "89ea1cd2826a831e78dcda1a5d77da3e3a5bbf3274e1b0d44d2966e535c748f1b461c934e7dd74e910dcb796c87f28bf"
                + "3640a0bb9a464382fc93578c962a3888847cff4d12d7e1a2b5aca6f8d0e4d73e04"
        static let gobs =
            "474f4253000000060301ddbfd92e64750bc872a86b56b37f547d48c6065470a001838f700a315f0c827d5ead56486da5"
                + "31fc63e3114e2e69d539c01927358ccba8238ba9655229fcfa5201119ef9179d3cd760582abcab40b74bb95141a47127"
                + "50b1725e82d457bd01b16c6e33297b06214989bad6fce02aa08889ea1cd2826a831e78dcda1a5d77da3e3a01d307e5ad"
                + "94d7416e3f1a475d316b31a565c5c53106d1bd7e56c09ea1d5a0011b24996c7ec664da28f384675d88e80a5e68687e99"
                + "7bad95bcbce648fff8b7898e0a1c7347a2fc8036c5de79f934177af1b4cb9a38aa3829fd24bd20999b13108b33e8a3d0"
                + "88d86f9fd22c6683ec0d3cde5217bcd77036132f8cf56147572b9b01"
        static let dynamic =
            "0155e50412f249ac38af5bead927b395e4c9ffb18f54338ba4df563410e7d3df307b4fdd95b99f529c3c02ef35fc44e0"
                + "a84f42d5cfe1082a456eb9b9878b07a771"
        static let gobd =
            "474f4244000000100301ddbfd92e64750bc872a86b56b37f547d48c6065470a001838f700a315f0c827d5ead56486da5"
                + "31fc63e3114e2e69d539c01927358ccba8238ba9655229fcfa520000000000000000004101119ef9179d3cd760582abc"
                + "ab40b74bb95141a4712750b1725e82d457bd01b16c6e33297b06214989bad6fce02aa08889ea1cd2826a831e78dcda1a"
                + "5d77da3e3a0155e50412f249ac38af5bead927b395e4c9ffb18f54338ba4df563410e7d3df307b4fdd95b99f529c3c02"
                + "ef35fc44e0a84f42d5cfe1082a456eb9b9878b07a77101b9f3875de61d26e383a01b440c3526602605b3921f5b5c6980"
                + "97496d5a5111f5c2153ee5cf675f11cb6ff905659f6708337a0696bcffbcbc7c72924071489e6356e825957f232a79e4"
                + "0cb41ae5d662d24080496b1570a8ab221c316e70d8f8260461de4a28211baf08427f7c4394b2857f9948848c2a2e17cc"
                + "169942e088a708"
        static let gdxx =
            "47445858000000090301ddbfd92e64750bc872a86b56b37f547d48c6065470a001838f700a315f0c827d5ead56486da5"
                + "31fc63e3114e2e69d539c01927358ccba8238ba9655229fcfa5201d307e5ad94d7416e3f1a475d316b31a565c5c53106"
                + "d1bd7e56c09ea1d5a0011b24996c7ec664da28f384675d88e80a5e68687e997bad95bcbce648fff8b7898e01e6ac5346"
                + "a611206a014ea61bba332e0b4ad509139a19297cdbec2e54a157ab5d084ccfab454da0c49c885575ce360aeaa714b89a"
                + "0b5bc2e25125aa57fca89b4ebba38b61f76a19aa3ed2dc37afeceb70c3cfdb0063586138bd5c6667581e92434a44db50"
                + "c9c7b09db4c908b5da3b16a04f668762392624d6838121bfd3e51709"
        static let garq =
            "474152510000000c0301a8b8cc5d54074a2d0db786934a113971f3ca1deeffca97a032c7fab1b56c17f988e780428533"
                + "bff52f7a93f22754efb0176c166fe7612d4261be10cdd2ff5894000000ecad438bfae31f6c093d61d4339255ea798092"
                + "c9fadd07b97827f4b0ae9dee7c1c541f3cd6a438d29b5836a087439b36a01106c91084034f89a71437a8cddb1c28d5d9"
                + "465f19f8a5af5cbbb73902599b16a6b5d43b7a4a9fc9766695bf038097cbd55cdcb5c40a1508939525f31637cb3d631b"
                + "0e6aea9d6c5b3fddd56045a79d7626fdf166effa94340010e0c0dde004bff946ec3ddb9a05484e67b5c9bb5e3cf6828c"
                + "efff69e1c64545bf0d4fe2ee5869c0757d6e37452e458ff982559e142e6adf68b49b4e8b3d7ff6aee6c8bae43c743f47"
                + "e7e96d616287cdf2929e91030b37e6d2f2e7427f8cb291cbe9de011a5b854964b0e57ddb1b79cf1f442bee80aae2103f"
                + "e756faf157265e99624a4ae20536625d70432c7320b6640ea1a672b8b5fd33ec6c4b48cc6205c5b16f369dc213ef287e"
                + "6e4b3c8cebe10a35924225b7e9a927162f488e6be98096fd84f6cbd5623ac530fc0bbecf2809f4ee279894c1ffc6cb58"
                + "34499d0e2e26c15aab7053"
        static let ratchet =
            "84e1d594220f22e141bef7f24864d65ec7e2659a666bfd24bcabdaff47863485fe192dd84176ed310565e7d230c64cb2"
    }

    static func sequence(_ start: UInt8, _ count: Int = 32) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: Int(start) + $0) }
    }

    /// Identity "k" (offset 0) or "m" (offset 0x80) of the document.
    static func identity(_ offset: UInt8) throws -> PrivateIdentity {
        try PrivateIdentity(portable: PortableIdentity(
            cipherSuite: 3,
            signatureKey: .init(privateHex: sequence(0x01 &+ offset).hexString),
            encryptionKey: .init(privateHex: sequence(0x21 &+ offset).hexString),
            exchangeKey: .init(privateHex: sequence(0x41 &+ offset).hexString)
        ))
    }

    static let secret = try! Secret(cipherSuite: .suite3, key: sequence(0x00), seed: sequence(0x64, 16))
    static let plaintext = Array("hello, suite 3".utf8)

    @Test func identities() throws {
        let k = try Self.identity(0)
        let m = try Self.identity(0x80)
        #expect(k.identity.serialized().hexString == KAT.kGIDC)
        #expect(m.identity.serialized().hexString == KAT.mGIDC)
        #expect(k.identity.serialized().count == 170)
        #expect(try Identity(parsing: bytes(KAT.kGIDC)).ghid == k.ghid)
    }

    @Test func signedObjects() throws {
        let k = try Self.identity(0)
        let verifier = Verifier(identities: [k.identity])
        let container = try k.makeContainer(Self.plaintext, secret: Self.secret)
        #expect(container.serialized().hexString == KAT.geoc)
        #expect(container.serialized().count == 211 + Self.plaintext.count)
        let binding = try k.makeStaticBinding(target: container.ghid)
        #expect(binding.serialized().hexString == KAT.gobs)
        let frame = try k.makeDynamicBinding(targets: [container.ghid], counter: 0, dynamic: nil)
        #expect(frame.dynamicGhid.bytes.hexString == KAT.dynamic)
        #expect(frame.serialized().hexString == KAT.gobd)
        let debinding = try k.makeDebinding(target: binding.ghid)
        #expect(debinding.serialized().hexString == KAT.gdxx)
        for hex in [KAT.geoc, KAT.gobs, KAT.gobd, KAT.gdxx] {
            let object = try GolixObject(parsing: bytes(hex))
            #expect(object.serialized().hexString == hex)
            try verifier.verify(object)
        }
        #expect(try container.plaintext(using: Self.secret) == Self.plaintext)
    }

    @Test func handshakeRequest() throws {
        let k = try Self.identity(0)
        let m = try Self.identity(0x80)
        let container = try k.makeContainer(Self.plaintext, secret: Self.secret)
        let payload = RequestPayload.handshake(target: container.ghid, secret: Self.secret)
        let ephemeral = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: Self.sequence(0xA1))
        let request = try Request(
            sealing: RequestPlaintext(author: k.ghid, payload: payload).serialized(),
            to: m.identity,
            macKey: k.requestMACKey(with: m.identity),
            ephemeral: ephemeral
        )
        #expect(request.serialized().hexString == KAT.garq)
        let parsed = try Request(parsing: bytes(KAT.garq))
        let opened = try m.open(parsed, from: k.identity)
        #expect(opened == RequestPlaintext(author: k.ghid, payload: payload))
        // Only the recipient can open it; a flipped payload bit fails authentication of the AEAD.
        #expect(throws: GolixError.wrongIdentity(expected: m.ghid, actual: k.ghid)) { try k.decrypt(parsed) }
        var tampered = bytes(KAT.garq)
        tampered[100] ^= 1
        #expect(throws: GolixError.hashMismatch) { try Request(parsing: tampered) }
    }

    @Test func ratchetIsSuiteAgnostic() throws {
        let k = try Self.identity(0)
        let container = try k.makeContainer(Self.plaintext, secret: Self.secret)
        let frame = try k.makeDynamicBinding(targets: [container.ghid], counter: 0, dynamic: nil)
        let next = Self.secret.ratcheted(previousContainer: container.ghid, dynamic: frame.dynamicGhid)
        #expect((next.key + next.seed).hexString == KAT.ratchet)
        #expect(next.cipherSuite == .suite3)
    }

    @Test func mixedSuiteSharing() throws {
        let modern = try Self.identity(0)
        let classic = Vectors.alice
        let target = Ghid.pseudorandom()
        // Sealed with the recipient's suite, authenticated with X25519 keys that both suites have.
        let toClassic = try modern.makeRequest(.ack(target: target, status: 0), to: classic.identity)
        #expect(toClassic.cipherSuite == .suite1 && toClassic.serialized().count == 715)
        #expect(try classic.open(toClassic, from: modern.identity).payload == .ack(target: target, status: 0))
        let toModern = try classic.makeRequest(.nak(target: target, status: 7), to: modern.identity)
        #expect(toModern.cipherSuite == .suite3)
        #expect(try modern.open(toModern, from: classic.identity).payload == .nak(target: target, status: 7))
        // A verifier refuses a request whose suite is not its recipient's.
        #expect(throws: GolixError.self) {
            try Verifier(identities: [modern.identity]).verify(.request(toClassic))
        }
    }

    @Test func objectsOfOneSuiteDoNotVerifyUnderTheOther() throws {
        let modern = try Self.identity(0)
        let container = try modern.makeContainer(Self.plaintext, secret: Self.secret)
        #expect(throws: GolixError.wrongIdentity(expected: modern.ghid, actual: Vectors.alice.ghid)) {
            try Vectors.alice.identity.verify(container)
        }
    }
}
