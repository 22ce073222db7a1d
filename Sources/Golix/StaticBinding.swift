import Crypto

/// A static binding (GOBS): the binder asks persistence servers to keep `target` until the binding is
/// debound. Static objects are a container plus one of these; "hold" binds a dynamic ghid this way.
///
/// Layout: `"GOBS" | version u32 = 6 | suite | binder ghid | target ghid | ghid | signature`.
public struct StaticBinding: SignedObject, Hashable {
    public static let magic: [UInt8] = Array("GOBS".utf8)
    public static let version: UInt32 = 6

    public let cipherSuite: CipherSuite
    public let binder: Ghid
    public let target: Ghid
    public let ghid: Ghid
    public let fileHash: SHA512Digest
    public let signature: [UInt8]

    public var signer: Ghid { binder }

    public init(parsing bytes: [UInt8]) throws(GolixError) {
        var reader = ByteReader(bytes)
        cipherSuite = try ObjectHeader.read(&reader, magic: Self.magic, version: Self.version)
        binder = try reader.readGhid()
        target = try reader.readGhid()
        (ghid, fileHash) = try reader.readFileHash()
        signature = try reader.readSignature(cipherSuite)
        try reader.expectEnd()
    }

    init(binder: PrivateIdentity, target: Ghid) throws(GolixError) {
        self.cipherSuite = binder.cipherSuite
        self.binder = binder.ghid
        self.target = target
        var prefix = PairedReference.prefix(Self.magic, Self.version, cipherSuite, self.binder, target)
        (ghid, fileHash) = ObjectHeader.seal(&prefix)
        signature = try binder.keys.sign(fileHash)
    }

    public func serialized() -> [UInt8] {
        var out = PairedReference.prefix(Self.magic, Self.version, cipherSuite, binder, target)
        ghid.append(to: &out)
        out += signature
        return out
    }
}

/// GOBS and GDXX share one shape: a signer and a target.
enum PairedReference {
    static func prefix(_ magic: [UInt8], _ version: UInt32, _ suite: CipherSuite, _ signer: Ghid, _ target: Ghid) -> [UInt8] {
        var out = ObjectHeader.bytes(magic: magic, version: version, suite: suite)
        out.reserveCapacity(ObjectHeader.length + 3 * Ghid.byteCount + suite.signatureLength)
        signer.append(to: &out)
        target.append(to: &out)
        return out
    }
}
