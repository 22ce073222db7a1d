import Crypto
import CryptoExtras
import Foundation

/// A symmetric secret: the AES-256 key and the 16-byte initial counter block of one container.
///
/// Serialized as the Golix "SH" structure: `"SH" | version u16 = 2 | cipher u8 | key (32) | seed (16)`,
/// 53 bytes. Both cipher suites use the same layout and sizes, so sharing and the ratchet are suite-agnostic.
public struct Secret: Hashable, Sendable {
    public static let serializedLength = 53
    public static let keyLength = 32
    public static let seedLength = 16
    static let magic: [UInt8] = Array("SH".utf8)
    static let version: UInt16 = 2

    public let cipherSuite: CipherSuite
    public let key: [UInt8]
    public let seed: [UInt8]

    public init(cipherSuite: CipherSuite, key: [UInt8], seed: [UInt8]) throws(GolixError) {
        guard key.count == Self.keyLength else { throw .invalidLength("secret key is \(key.count) bytes") }
        guard seed.count == Self.seedLength else { throw .invalidLength("secret seed is \(seed.count) bytes") }
        self.cipherSuite = cipherSuite
        self.key = key
        self.seed = seed
    }

    public init(parsing bytes: [UInt8]) throws(GolixError) {
        var reader = ByteReader(bytes)
        let magic = try reader.readBytes(2)
        guard magic == Self.magic else { throw .badMagic(magic) }
        let version = try reader.readInteger(UInt16.self)
        guard version == Self.version else { throw .unsupportedVersion(magic: "SH", version: UInt32(version)) }
        let suite = try CipherSuite(byte: reader.readUInt8())
        let key = try reader.readBytes(Self.keyLength)
        let seed = try reader.readBytes(Self.seedLength)
        try reader.expectEnd()
        try self.init(cipherSuite: suite, key: key, seed: seed)
    }

    public func serialized() -> [UInt8] {
        var out = Self.magic
        out.reserveCapacity(Self.serializedLength)
        out.appendInteger(Self.version)
        out.append(cipherSuite.rawValue)
        out += key
        out += seed
        return out
    }

    /// A fresh secret from the system CSPRNG: frame 0 of a dynamic object and every static object.
    public static func random(cipherSuite: CipherSuite = .suite3) -> Secret {
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let seed = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
        // Sizes are fixed above, so this cannot fail.
        return try! Secret(cipherSuite: cipherSuite, key: key, seed: seed)
    }

    /// The secret of frame n of a dynamic object, derived from the secret of frame n-1 (the "chained"
    /// ratchet) or from an account object's master secret.
    ///
    /// `HKDF-SHA512(IKM = seed ‖ key, salt = previous container ghid, info = dynamic ghid, L = 48)`, split
    /// as `key ‖ seed`. The input is seed first and the output key first: the original does exactly this,
    /// and swapping either side silently derives a different secret.
    public func ratcheted(previousContainer: Ghid, dynamic: Ghid) -> Secret {
        let output = HKDF<SHA512>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: seed + key),
            salt: previousContainer.bytes,
            info: dynamic.bytes,
            outputByteCount: Self.keyLength + Self.seedLength
        ).withUnsafeBytes { Array($0) }
        return try! Secret(
            cipherSuite: cipherSuite,
            key: Array(output[0..<Self.keyLength]),
            seed: Array(output[Self.keyLength...])
        )
    }

    /// The original's `Secret.as_str()`: URL-safe base64 of the serialized form, as in `root_secret`.
    public var base64: String { Base64URL.encode(serialized()) }

    public init(base64 text: some StringProtocol) throws(GolixError) {
        guard let bytes = Base64URL.decode(text) else { throw .invalidLength("secret text is not base64") }
        try self.init(parsing: bytes)
    }

    /// AES-256-CTR with the seed as the whole initial counter block, incremented as one 128-bit integer.
    /// Encryption and decryption are the same operation.
    func applyKeystream(_ input: some DataProtocol) throws(GolixError) -> [UInt8] {
        do {
            let nonce = try AES._CTR.Nonce(nonceBytes: seed)
            return try [UInt8](AES._CTR.encrypt(input, using: SymmetricKey(data: key), nonce: nonce))
        } catch {
            throw .cryptoFailure("AES-CTR: \(error)")
        }
    }
}

extension Secret: CustomStringConvertible {
    /// Never prints key material: secrets end up in logs otherwise.
    public var description: String { "Secret(\(cipherSuite), key: <redacted>)" }
}
