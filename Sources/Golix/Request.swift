import Crypto
import Foundation

/// An asymmetric request (GARQ): a sealed message to one identity, used for sharing (handshakes) and
/// their acknowledgements. Only the recipient is visible; the author is inside the sealed payload and is
/// authenticated by a MAC that only author and recipient can compute.
///
/// Suite 1 layout: `"GARQ" | version u32 = 12 | 1 | recipient ghid | payload (512, RSA-OAEP) | ghid | MAC (64)`.
/// Suite 3 layout: `"GARQ" | version u32 = 12 | 3 | recipient ghid | payload length u32 | payload | ghid | MAC (64)`,
/// the payload being an ephemeral X25519 key and AES-256-GCM ciphertext (docs/cipher-suite-3.md).
/// The suite byte is the *recipient's*: the request is sealed to the recipient's keys.
public struct Request: Sendable, Hashable {
    public static let magic: [UInt8] = Array("GARQ".utf8)
    public static let version: UInt32 = 12
    public static let macLength = 64
    static let suite1PayloadLength = 512
    static let suite3Overhead = 32 + 16
    static let suite3KDFInfo = Array("Golix suite 3 request".utf8)

    public let cipherSuite: CipherSuite
    public let recipient: Ghid
    /// The sealed request plaintext.
    public let payload: [UInt8]
    public let ghid: Ghid
    public let mac: [UInt8]

    public init(parsing bytes: [UInt8]) throws(GolixError) {
        var reader = ByteReader(bytes)
        cipherSuite = try ObjectHeader.read(&reader, magic: Self.magic, version: Self.version)
        recipient = try reader.readGhid()
        switch cipherSuite {
        case .suite1:
            payload = try reader.readBytes(Self.suite1PayloadLength)
        case .suite3:
            let length = try reader.readInteger(UInt32.self)
            guard length >= Self.suite3Overhead, length <= UInt32(reader.remaining) else {
                throw .invalidLength("sealed payload length \(length) with \(reader.remaining) bytes left")
            }
            payload = try reader.readBytes(Int(length))
        }
        (ghid, _) = try reader.readFileHash()
        mac = try reader.readBytes(Self.macLength)
        try reader.expectEnd()
    }

    /// `ephemeral` fixes suite 3's one-time key for known-answer tests; everything else leaves it nil.
    init(
        sealing plaintext: [UInt8],
        to recipient: Identity,
        macKey: RequestMACKey,
        ephemeral: Curve25519.KeyAgreement.PrivateKey? = nil
    ) throws(GolixError) {
        self.init(
            sealedPayload: try Self.seal(plaintext, to: recipient, ephemeral: ephemeral ?? .init()),
            to: recipient,
            macKey: macKey
        )
    }

    /// Assembles a request around an already sealed payload (sealing is randomised, so conformance tests
    /// rebuild the reference's requests from its ciphertext).
    init(sealedPayload: [UInt8], to recipient: Identity, macKey: RequestMACKey) {
        self.cipherSuite = recipient.cipherSuite
        self.recipient = recipient.ghid
        self.payload = sealedPayload
        var prefix = Self.prefix(suite: cipherSuite, recipient: self.recipient, payload: payload)
        (ghid, _) = ObjectHeader.seal(&prefix)
        mac = macKey.mac(ghid)
    }

    private static func prefix(suite: CipherSuite, recipient: Ghid, payload: [UInt8]) -> [UInt8] {
        var out = ObjectHeader.bytes(magic: magic, version: version, suite: suite)
        recipient.append(to: &out)
        if suite == .suite3 {
            out.appendInteger(UInt32(payload.count))
        }
        out += payload
        return out
    }

    public func serialized() -> [UInt8] {
        var out = Self.prefix(suite: cipherSuite, recipient: recipient, payload: payload)
        ghid.append(to: &out)
        out += mac
        return out
    }

    private static func seal(
        _ plaintext: [UInt8],
        to recipient: Identity,
        ephemeral: Curve25519.KeyAgreement.PrivateKey
    ) throws(GolixError) -> [UInt8] {
        switch recipient.keys {
        case .suite1(_, let encryption, _):
            return try encryption.encrypt(plaintext)
        case .suite3(_, let encryption, _):
            do {
                let shared = try ephemeral.sharedSecretFromKeyAgreement(with: encryption)
                let ephemeralPublic = [UInt8](ephemeral.publicKey.rawRepresentation)
                let (key, nonce) = try suite3Key(shared, ephemeralPublic, recipient.encryptionKey)
                let box = try AES.GCM.seal(
                    plaintext,
                    using: key,
                    nonce: nonce,
                    authenticating: recipient.ghid.bytes
                )
                return ephemeralPublic + box.ciphertext + box.tag
            } catch {
                throw .cryptoFailure("sealing request: \(error)")
            }
        }
    }

    /// Opens the payload with the recipient's private keys.
    func unseal(with keys: PrivateKeys) throws(GolixError) -> [UInt8] {
        switch keys {
        case .suite1(_, let encryption, _, _):
            return try encryption.decrypt(payload)
        case .suite3(_, let encryption, _):
            do {
                let ephemeralPublic = Array(payload.prefix(32))
                let peer = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: ephemeralPublic)
                let shared = try encryption.sharedSecretFromKeyAgreement(with: peer)
                let ownPublic = [UInt8](encryption.publicKey.rawRepresentation)
                let (key, nonce) = try Self.suite3Key(shared, ephemeralPublic, ownPublic)
                let box = try AES.GCM.SealedBox(
                    nonce: nonce,
                    ciphertext: payload[32..<payload.count - 16],
                    tag: payload.suffix(16)
                )
                return [UInt8](try AES.GCM.open(box, using: key, authenticating: recipient.bytes))
            } catch {
                throw .decryptionFailed
            }
        }
    }

    /// The ephemeral key is fresh per request, so a nonce derived with the key is never reused.
    private static func suite3Key(
        _ shared: SharedSecret,
        _ ephemeralPublic: [UInt8],
        _ recipientPublic: [UInt8]
    ) throws -> (SymmetricKey, AES.GCM.Nonce) {
        let material = shared.hkdfDerivedSymmetricKey(
            using: SHA512.self,
            salt: ephemeralPublic + recipientPublic,
            sharedInfo: suite3KDFInfo,
            outputByteCount: 44
        ).withUnsafeBytes { Array($0) }
        return (SymmetricKey(data: material[0..<32]), try AES.GCM.Nonce(data: material[32..<44]))
    }
}
