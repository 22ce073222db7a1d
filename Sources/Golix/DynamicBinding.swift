import Crypto

/// One frame of a dynamic binding (GOBD): a mutable pointer. The binding's *dynamic ghid* stays the same
/// across frames while each frame (with its own frame ghid) points at a newer container.
///
/// Layout: `"GOBD" | version u32 = 16 | suite | binder ghid | counter u64 | vector length u16 (bytes,
/// 65 × N) | target vector (N ghids, newest first) | dynamic ghid | frame ghid | signature`.
///
/// The first frame (counter 0, one target) defines the dynamic ghid as the hash of every byte before its
/// hash field; later frames (counter > 0) carry history and copy the dynamic ghid unchanged.
public struct DynamicBinding: SignedObject, Hashable {
    public static let magic: [UInt8] = Array("GOBD".utf8)
    public static let version: UInt32 = 16

    public let cipherSuite: CipherSuite
    public let binder: Ghid
    public let counter: UInt64
    /// Newest first: `targetVector[0]` is the current target, the rest the previous ones.
    public let targetVector: [Ghid]
    /// The ghid of the binding as a whole, the same in every frame.
    public let dynamicGhid: Ghid
    /// The ghid of this frame.
    public let ghid: Ghid
    public let fileHash: SHA512Digest
    public let signature: [UInt8]

    public var signer: Ghid { binder }
    /// The container (or other object) this frame points at.
    public var target: Ghid { targetVector[0] }
    /// The targets of earlier frames, newest first.
    public var history: ArraySlice<Ghid> { targetVector.dropFirst() }

    public init(parsing bytes: [UInt8]) throws(GolixError) {
        var reader = ByteReader(bytes)
        cipherSuite = try ObjectHeader.read(&reader, magic: Self.magic, version: Self.version)
        binder = try reader.readGhid()
        counter = try reader.readInteger(UInt64.self)
        let vectorLength = Int(try reader.readInteger(UInt16.self))
        guard vectorLength % Ghid.byteCount == 0 else {
            throw .invalidLength("target vector of \(vectorLength) bytes is not a whole number of ghids")
        }
        var targets = [Ghid]()
        for _ in 0..<vectorLength / Ghid.byteCount {
            targets.append(try reader.readGhid())
        }
        targetVector = targets
        try Self.checkShape(counter: counter, targets: targets)
        let dynamicAlgorithm = try reader.readUInt8()
        guard dynamicAlgorithm == Ghid.sha512Algorithm else { throw .unsupportedAddressAlgorithm(dynamicAlgorithm) }
        let dynamicAddress = try reader.read(Ghid.addressByteCount)
        dynamicGhid = Ghid(algorithm: dynamicAlgorithm, address: dynamicAddress)!
        if counter == 0 {
            // Only the first frame defines the dynamic ghid, so only there can it be checked.
            let expected = SHA512.hash(data: bytes[0..<dynamicAddress.startIndex])
            guard expected.elementsEqual(dynamicAddress) else {
                throw .inconsistentFrame("first frame's dynamic ghid is not the hash of its fields")
            }
        }
        (ghid, fileHash) = try reader.readFileHash()
        signature = try reader.readSignature(cipherSuite)
        try reader.expectEnd()
    }

    init(binder: PrivateIdentity, counter: UInt64, targetVector: [Ghid], dynamic: Ghid?) throws(GolixError) {
        try self.init(binder: binder, counter: counter, targetVector: targetVector, dynamic: dynamic, signature: nil)
    }

    /// `signature` nil signs here; otherwise it is a signature over ``fileHash`` made elsewhere.
    init(binder: PrivateIdentity, counter: UInt64, targetVector: [Ghid], dynamic: Ghid?, signature: [UInt8]?) throws(GolixError) {
        try Self.checkShape(counter: counter, targets: targetVector)
        guard (counter == 0) == (dynamic == nil) else {
            throw .inconsistentFrame("the first frame defines the dynamic ghid; later frames must name it")
        }
        guard targetVector.count * Ghid.byteCount <= Int(UInt16.max) else {
            throw .unrepresentable("a target vector holds at most \(Int(UInt16.max) / Ghid.byteCount) ghids")
        }
        self.cipherSuite = binder.cipherSuite
        self.binder = binder.ghid
        self.counter = counter
        self.targetVector = targetVector
        var prefix = Self.prefix(suite: cipherSuite, binder: self.binder, counter: counter, targets: targetVector)
        if let dynamic {
            dynamicGhid = dynamic
            dynamic.append(to: &prefix)
        } else {
            // Frame 0: the dynamic ghid is the hash of the fields before it, its own algorithm byte included.
            (dynamicGhid, _) = ObjectHeader.seal(&prefix)
        }
        (ghid, fileHash) = ObjectHeader.seal(&prefix)
        if let signature {
            self.signature = signature
        } else {
            self.signature = try binder.keys.sign(fileHash)
        }
    }

    /// Counter 0 ⇔ no history: a frame with history is an update and an update cannot be the first frame.
    private static func checkShape(counter: UInt64, targets: [Ghid]) throws(GolixError) {
        guard !targets.isEmpty else { throw .inconsistentFrame("empty target vector") }
        if counter == 0 && targets.count != 1 {
            throw .inconsistentFrame("first frame (counter 0) with \(targets.count - 1) history entries")
        }
        if counter != 0 && targets.count == 1 {
            throw .inconsistentFrame("update (counter \(counter)) without history")
        }
    }

    private static func prefix(suite: CipherSuite, binder: Ghid, counter: UInt64, targets: [Ghid]) -> [UInt8] {
        var out = ObjectHeader.bytes(magic: magic, version: version, suite: suite)
        out.reserveCapacity(ObjectHeader.length + (4 + targets.count) * Ghid.byteCount + 10 + suite.signatureLength)
        binder.append(to: &out)
        out.appendInteger(counter)
        out.appendInteger(UInt16(targets.count * Ghid.byteCount))
        for target in targets { target.append(to: &out) }
        return out
    }

    public func serialized() -> [UInt8] {
        var out = Self.prefix(suite: cipherSuite, binder: binder, counter: counter, targets: targetVector)
        dynamicGhid.append(to: &out)
        ghid.append(to: &out)
        out += signature
        return out
    }
}
