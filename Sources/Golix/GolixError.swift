/// Everything that can be wrong with a Golix object, a key or a secret.
///
/// Parsers and verifiers throw only this type, so that callers (a server answering `NK`, a daemon deciding
/// whether to retry) can branch on ``kind`` without string matching.
public enum GolixError: Error, Hashable, Sendable {
    /// The input ended before a field of `needed` bytes at `offset` could be read.
    case truncated(offset: Int, needed: Int)
    /// Bytes remain after the last field; Golix objects are exact-length.
    case trailingBytes(count: Int)
    case badMagic([UInt8])
    case unsupportedVersion(magic: String, version: UInt32)
    case unsupportedCipherSuite(UInt8)
    /// Only algorithm 1 (SHA-512) addresses are meaningful; algorithm 0 would switch off the hash check.
    case unsupportedAddressAlgorithm(UInt8)
    /// A length field disagrees with the data it describes.
    case invalidLength(String)
    /// The file hash (the object's address) is not the SHA-512 of the bytes before it.
    case hashMismatch
    /// A dynamic binding frame whose counter, history and dynamic address contradict each other.
    case inconsistentFrame(String)
    /// A key that cannot be used (wrong size, not on the curve, not a 4096-bit modulus…).
    case invalidKey(String)
    case invalidSignature
    case invalidMAC
    /// The payload of a request or container could not be decrypted with the given key or secret.
    case decryptionFailed
    /// A request's inner payload is none of HS, AK or NK.
    case unsupportedRequestType([UInt8])
    /// An object was checked against an identity that did not make it, or against one of another suite.
    case wrongIdentity(expected: Ghid, actual: Ghid)
    case cipherSuiteMismatch(object: UInt8, identity: UInt8)
    /// The author, binder or recipient is not among the identities known to the verifier.
    case unknownIdentity(Ghid)
    /// Refused to build an object that the reference implementation could not read back.
    case unrepresentable(String)
    /// The underlying crypto library failed for a reason that is not the input's fault.
    case cryptoFailure(String)

    /// Broad classes of failure: what a persistence server maps to its error codes.
    public enum Kind: Sendable, Hashable {
        /// Not a well-formed object of its kind (parse error or address mismatch).
        case malformed
        /// Well-formed, but its signature, MAC or encryption does not check out.
        case unauthentic
        /// Its signer or recipient is not known here.
        case unknownIdentity
        /// A local failure: could not build or the crypto library failed.
        case local
    }

    public var kind: Kind {
        switch self {
        case .truncated, .trailingBytes, .badMagic, .unsupportedVersion, .unsupportedCipherSuite,
            .unsupportedAddressAlgorithm, .invalidLength, .hashMismatch, .inconsistentFrame, .invalidKey,
            .unsupportedRequestType:
            return .malformed
        case .invalidSignature, .invalidMAC, .decryptionFailed, .wrongIdentity, .cipherSuiteMismatch:
            return .unauthentic
        case .unknownIdentity:
            return .unknownIdentity
        case .unrepresentable, .cryptoFailure:
            return .local
        }
    }
}

extension GolixError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let offset, let needed):
            return "truncated: \(needed) more byte(s) needed at offset \(offset)"
        case .trailingBytes(let count):
            return "\(count) trailing byte(s) after the object"
        case .badMagic(let magic):
            return "unknown magic \(magic.hexString)"
        case .unsupportedVersion(let magic, let version):
            return "unsupported \(magic) version \(version)"
        case .unsupportedCipherSuite(let suite):
            return "unsupported cipher suite \(suite)"
        case .unsupportedAddressAlgorithm(let algorithm):
            return "unsupported address algorithm \(algorithm)"
        case .invalidLength(let what):
            return "invalid length: \(what)"
        case .hashMismatch:
            return "file hash does not match the object's bytes"
        case .inconsistentFrame(let what):
            return "inconsistent dynamic frame: \(what)"
        case .invalidKey(let what):
            return "invalid key: \(what)"
        case .invalidSignature:
            return "signature verification failed"
        case .invalidMAC:
            return "request MAC verification failed"
        case .decryptionFailed:
            return "decryption failed"
        case .unsupportedRequestType(let type):
            return "unsupported request type \(type.hexString)"
        case .wrongIdentity(let expected, let actual):
            return "object belongs to \(expected), not \(actual)"
        case .cipherSuiteMismatch(let object, let identity):
            return "object uses cipher suite \(object) but its identity uses \(identity)"
        case .unknownIdentity(let ghid):
            return "unknown identity \(ghid)"
        case .unrepresentable(let what):
            return "cannot build object: \(what)"
        case .cryptoFailure(let what):
            return "crypto library failure: \(what)"
        }
    }
}
