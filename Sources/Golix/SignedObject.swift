import Crypto

/// An object whose file hash is signed by its author, binder or debinder: GEOC, GOBS, GOBD and GDXX.
public protocol SignedObject: Sendable {
    var cipherSuite: CipherSuite { get }
    /// The identity whose signing key made ``signature``.
    var signer: Ghid { get }
    /// The object's address: for a dynamic binding, the frame's.
    var ghid: Ghid { get }
    /// SHA-512 of every byte before it; the value that was signed.
    var fileHash: SHA512Digest { get }
    var signature: [UInt8] { get }
    func serialized() -> [UInt8]
}

extension ByteReader {
    mutating func readSignature(_ suite: CipherSuite) throws(GolixError) -> [UInt8] {
        try readBytes(suite.signatureLength)
    }
}
