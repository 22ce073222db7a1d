import Crypto

/// A public identity: the Golix identity container (GIDC), the "second party" everyone else sees.
///
/// Layout: `"GIDC" | version u32 = 2 | suite u8 | signing key | encryption key | exchange key | ghid`.
/// Suite 1 keys are two 512-byte RSA-4096 moduli (e = 65537 implied) and a 32-byte X25519 public key;
/// suite 3 keys are an Ed25519 and two X25519 public keys of 32 bytes each. There is no signature: the
/// ghid (the identity's *fingerprint*) is the hash of the keys.
public struct Identity: Sendable {
    public static let magic: [UInt8] = Array("GIDC".utf8)
    public static let version: UInt32 = 2

    public let cipherSuite: CipherSuite
    public let signingKey: [UInt8]
    public let encryptionKey: [UInt8]
    public let exchangeKey: [UInt8]
    /// The fingerprint: how users, requests and objects name this identity.
    public let ghid: Ghid
    let keys: PublicKeys

    public init(parsing bytes: [UInt8]) throws(GolixError) {
        var reader = ByteReader(bytes)
        let suite = try ObjectHeader.read(&reader, magic: Self.magic, version: Self.version)
        let lengths = suite.identityKeyLengths
        let signing = try reader.readBytes(lengths.signing)
        let encryption = try reader.readBytes(lengths.encryption)
        let exchange = try reader.readBytes(lengths.exchange)
        let (ghid, _) = try reader.readFileHash()
        try reader.expectEnd()
        try self.init(suite: suite, signing: signing, encryption: encryption, exchange: exchange, ghid: ghid)
    }

    /// Builds the GIDC for a set of public keys, computing its fingerprint.
    init(suite: CipherSuite, signing: [UInt8], encryption: [UInt8], exchange: [UInt8]) throws(GolixError) {
        var prefix = ObjectHeader.bytes(magic: Self.magic, version: Self.version, suite: suite)
        prefix += signing
        prefix += encryption
        prefix += exchange
        let (ghid, _) = ObjectHeader.seal(&prefix)
        try self.init(suite: suite, signing: signing, encryption: encryption, exchange: exchange, ghid: ghid)
    }

    private init(
        suite: CipherSuite,
        signing: [UInt8],
        encryption: [UInt8],
        exchange: [UInt8],
        ghid: Ghid
    ) throws(GolixError) {
        self.cipherSuite = suite
        self.signingKey = signing
        self.encryptionKey = encryption
        self.exchangeKey = exchange
        self.ghid = ghid
        self.keys = try PublicKeys(suite: suite, signing: signing, encryption: encryption, exchange: exchange)
    }

    public func serialized() -> [UInt8] {
        var out = ObjectHeader.bytes(magic: Self.magic, version: Self.version, suite: cipherSuite)
        out += signingKey
        out += encryptionKey
        out += exchangeKey
        ghid.append(to: &out)
        return out
    }

    /// Checks that `object` was signed by this identity (third-party verification, as a server does).
    /// The object's file hash was already checked when it was parsed or made.
    public func verify(_ object: some SignedObject) throws(GolixError) {
        guard object.signer == ghid else { throw .wrongIdentity(expected: object.signer, actual: ghid) }
        guard object.cipherSuite == cipherSuite else {
            throw .cipherSuiteMismatch(object: object.cipherSuite.rawValue, identity: cipherSuite.rawValue)
        }
        guard keys.isValidSignature(object.signature, for: object.fileHash) else { throw .invalidSignature }
    }
}

extension Identity: Hashable {
    /// The fingerprint is a hash of every other field, so it decides equality.
    public static func == (lhs: Identity, rhs: Identity) -> Bool { lhs.ghid == rhs.ghid }
    public func hash(into hasher: inout Hasher) { hasher.combine(ghid) }
}
