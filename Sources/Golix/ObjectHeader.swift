import Crypto

/// The parts every Golix object shares: `magic (4) | version u32 | cipher suite u8` at the front and the
/// object's own address (algorithm byte + SHA-512 file hash) after its fields.
enum ObjectHeader {
    static let length = 9

    static func read(_ reader: inout ByteReader, magic: [UInt8], version: UInt32) throws(GolixError) -> CipherSuite {
        let found = try reader.readBytes(4)
        guard found == magic else { throw .badMagic(found) }
        let foundVersion = try reader.readInteger(UInt32.self)
        guard foundVersion == version else {
            throw .unsupportedVersion(magic: String(decoding: magic, as: UTF8.self), version: foundVersion)
        }
        return try CipherSuite(byte: reader.readUInt8())
    }

    static func bytes(magic: [UInt8], version: UInt32, suite: CipherSuite) -> [UInt8] {
        var out = magic
        out.appendInteger(version)
        out.append(suite.rawValue)
        return out
    }

    /// Appends the address algorithm byte, hashes everything so far (that byte included, as the original
    /// does) and appends the hash. Returns the object's ghid and the digest to sign.
    static func seal(_ buffer: inout [UInt8]) -> (Ghid, SHA512Digest) {
        buffer.append(Ghid.sha512Algorithm)
        let digest = SHA512.hash(data: buffer)
        let address = Array(digest)
        buffer += address
        // A SHA-512 digest is always 64 bytes.
        return (Ghid(algorithm: Ghid.sha512Algorithm, address: address)!, digest)
    }
}

extension ByteReader {
    /// Reads an object's own address and checks it against the hash of every byte before the hash itself.
    mutating func readFileHash() throws(GolixError) -> (Ghid, SHA512Digest) {
        let algorithm = try readUInt8()
        guard algorithm == Ghid.sha512Algorithm else { throw .unsupportedAddressAlgorithm(algorithm) }
        let digest = SHA512.hash(data: bytes[0..<offset])
        let stored = try read(Ghid.addressByteCount)
        guard digest.elementsEqual(stored) else { throw .hashMismatch }
        return (Ghid(algorithm: algorithm, address: stored)!, digest)
    }
}
