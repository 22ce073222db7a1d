/// A Golix cipher suite: which primitives sign, encrypt and exchange keys, and so the sizes of the key and
/// signature fields. The suite byte sits in every object header right after the version.
public enum CipherSuite: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Suite 1, the original's: RSA-4096 PSS-SHA512 signatures, RSA-4096 OAEP-SHA512 request payloads,
    /// X25519 + HKDF-SHA512 + HMAC-SHA512 request MACs, AES-256-CTR containers.
    case suite1 = 1
    /// Suite 3, ours (2 is reserved for an AES-SIV variant): Ed25519 signatures, request payloads sealed
    /// with ephemeral X25519 + HKDF-SHA512 + AES-256-GCM, and otherwise suite 1's MACs, containers and
    /// secrets. See docs/cipher-suite-3.md.
    case suite3 = 3

    /// Parses a suite byte, rejecting 0 (the testing-only "none" suite), 2 and anything undefined.
    public init(byte: UInt8) throws(GolixError) {
        guard let suite = CipherSuite(rawValue: byte) else { throw .unsupportedCipherSuite(byte) }
        self = suite
    }

    /// Bytes of the signature after a signed object's file hash.
    public var signatureLength: Int {
        switch self {
        case .suite1: return 512
        case .suite3: return 64
        }
    }

    /// Bytes of the signing, encryption and exchange public keys in an identity (GIDC).
    var identityKeyLengths: (signing: Int, encryption: Int, exchange: Int) {
        switch self {
        case .suite1: return (512, 512, 32)
        case .suite3: return (32, 32, 32)
        }
    }

    public var description: String { "suite \(rawValue)" }
}
