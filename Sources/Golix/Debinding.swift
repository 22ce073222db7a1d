import Crypto

/// A debinding (GDXX): withdraws a binding, a request or another debinding, so that persistence servers
/// can collect what it kept alive. Only the target's binder (or, for a request, its recipient) may debind.
///
/// Layout: `"GDXX" | version u32 = 9 | suite | debinder ghid | target ghid | ghid | signature`.
public struct Debinding: SignedObject, Hashable {
    public static let magic: [UInt8] = Array("GDXX".utf8)
    public static let version: UInt32 = 9

    public let cipherSuite: CipherSuite
    public let debinder: Ghid
    public let target: Ghid
    public let ghid: Ghid
    public let fileHash: SHA512Digest
    public let signature: [UInt8]

    public var signer: Ghid { debinder }

    public init(parsing bytes: [UInt8]) throws(GolixError) {
        var reader = ByteReader(bytes)
        cipherSuite = try ObjectHeader.read(&reader, magic: Self.magic, version: Self.version)
        debinder = try reader.readGhid()
        target = try reader.readGhid()
        (ghid, fileHash) = try reader.readFileHash()
        signature = try reader.readSignature(cipherSuite)
        try reader.expectEnd()
    }

    init(debinder: PrivateIdentity, target: Ghid) throws(GolixError) {
        self.cipherSuite = debinder.cipherSuite
        self.debinder = debinder.ghid
        self.target = target
        var prefix = PairedReference.prefix(Self.magic, Self.version, cipherSuite, self.debinder, target)
        (ghid, fileHash) = ObjectHeader.seal(&prefix)
        signature = try debinder.keys.sign(fileHash)
    }

    public func serialized() -> [UInt8] {
        var out = PairedReference.prefix(Self.magic, Self.version, cipherSuite, debinder, target)
        ghid.append(to: &out)
        out += signature
        return out
    }
}
