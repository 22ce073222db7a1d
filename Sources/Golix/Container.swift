import Crypto

/// An encrypted container (GEOC): the only object that carries user data, always as ciphertext.
///
/// Layout: `"GEOC" | version u32 = 14 | suite | author ghid | payload length u64 | payload | ghid | signature`.
/// The payload is AES-256-CTR ciphertext under a ``Secret`` that travels separately (in the author's
/// secret store, or in a handshake request); persistence servers never see it.
public struct Container: SignedObject, Hashable {
    public static let magic: [UInt8] = Array("GEOC".utf8)
    public static let version: UInt32 = 14

    public let cipherSuite: CipherSuite
    public let author: Ghid
    public let payload: [UInt8]
    public let ghid: Ghid
    public let fileHash: SHA512Digest
    public let signature: [UInt8]

    public var signer: Ghid { author }

    public init(parsing bytes: [UInt8]) throws(GolixError) {
        var reader = ByteReader(bytes)
        cipherSuite = try ObjectHeader.read(&reader, magic: Self.magic, version: Self.version)
        author = try reader.readGhid()
        let length = try reader.readInteger(UInt64.self)
        // Compare before converting: a huge declared length must not trap in Int().
        guard length <= UInt64(reader.remaining) else {
            throw .invalidLength("payload length \(length) exceeds the \(reader.remaining) bytes left")
        }
        payload = try reader.readBytes(Int(length))
        (ghid, fileHash) = try reader.readFileHash()
        signature = try reader.readSignature(cipherSuite)
        try reader.expectEnd()
    }

    init(author: PrivateIdentity, payload: [UInt8]) throws(GolixError) {
        let (ghid, fileHash) = Self.address(suite: author.cipherSuite, author: author.ghid, payload: payload)
        self.init(cipherSuite: author.cipherSuite, author: author.ghid, payload: payload, ghid: ghid, fileHash: fileHash,
                  signature: try author.keys.sign(fileHash))
    }

    init(cipherSuite: CipherSuite, author: Ghid, payload: [UInt8], ghid: Ghid, fileHash: SHA512Digest, signature: [UInt8]) {
        self.cipherSuite = cipherSuite
        self.author = author
        self.payload = payload
        self.ghid = ghid
        self.fileHash = fileHash
        self.signature = signature
    }

    /// The address a container will have: it does not depend on the signature, so what refers to the
    /// container can be made (and signed) before the container is signed.
    static func address(suite: CipherSuite, author: Ghid, payload: [UInt8]) -> (Ghid, SHA512Digest) {
        var prefix = Self.prefix(suite: suite, author: author, payload: payload)
        return ObjectHeader.seal(&prefix)
    }

    private static func prefix(suite: CipherSuite, author: Ghid, payload: [UInt8]) -> [UInt8] {
        var out = ObjectHeader.bytes(magic: magic, version: version, suite: suite)
        out.reserveCapacity(payload.count + 160 + suite.signatureLength)
        author.append(to: &out)
        out.appendInteger(UInt64(payload.count))
        out += payload
        return out
    }

    public func serialized() -> [UInt8] {
        var out = Self.prefix(suite: cipherSuite, author: author, payload: payload)
        ghid.append(to: &out)
        out += signature
        return out
    }

    /// Decrypts the payload. CTR mode has no integrity of its own: a wrong secret yields garbage rather
    /// than an error, which is why Hypergolix payloads start with a magic header that readers check.
    public func plaintext(using secret: Secret) throws(GolixError) -> [UInt8] {
        try secret.applyKeystream(payload)
    }
}
