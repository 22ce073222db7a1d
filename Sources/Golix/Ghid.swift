/// A Golix hash identifier: an address algorithm byte and a 64-byte address.
///
/// Every Golix object, identity and dynamic binding is named by a ghid; on the wire it is always 65 bytes.
/// The address lives inline (no heap allocation) because ghids are the keys of every table in the server
/// and the daemon.
public struct Ghid: Hashable, Sendable {
    public static let byteCount = 65
    public static let addressByteCount = 64

    /// Address algorithm 1: SHA-512, the only one that names real objects.
    public static let sha512Algorithm: UInt8 = 1

    public let algorithm: UInt8
    private let words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// Builds a ghid from an algorithm byte and exactly 64 address bytes.
    public init?(algorithm: UInt8, address: some Collection<UInt8>) {
        guard address.count == Self.addressByteCount else { return nil }
        self.algorithm = algorithm
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            // Contiguous inputs (arrays, slices, digests) copy in one go; ghids are made on every message.
            let copied: Bool? = address.withContiguousStorageIfAvailable { bytes in
                raw.copyMemory(from: UnsafeRawBufferPointer(bytes))
                return true
            }
            if copied == nil {
                for (index, byte) in address.enumerated() { raw[index] = byte }
            }
        }
        self.words = words
    }

    /// Parses the 65-byte wire form (algorithm byte first). Returns nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount, let algorithm = bytes.first else { return nil }
        self.init(algorithm: algorithm, address: bytes.dropFirst())
    }

    /// The 65-byte form, requiring address algorithm 1 as every object in Golix does.
    init(validating bytes: ArraySlice<UInt8>) throws(GolixError) {
        guard let ghid = Ghid(bytes: bytes) else {
            throw .invalidLength("a ghid is \(Self.byteCount) bytes, not \(bytes.count)")
        }
        guard ghid.algorithm == Self.sha512Algorithm else { throw .unsupportedAddressAlgorithm(ghid.algorithm) }
        self = ghid
    }

    /// The 64 address bytes.
    public var address: [UInt8] {
        withUnsafeBytes(of: words) { Array($0) }
    }

    /// The 65-byte wire form.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.byteCount)
        append(to: &out)
        return out
    }

    func append(to buffer: inout [UInt8]) {
        buffer.append(algorithm)
        withUnsafeBytes(of: words) { buffer.append(contentsOf: $0) }
    }

    /// A fresh random SHA-512-shaped ghid; for tests and placeholders, never for naming real objects.
    public static func pseudorandom<G: RandomNumberGenerator>(using generator: inout G) -> Ghid {
        let address = (0..<addressByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Ghid(algorithm: sha512Algorithm, address: address)!
    }

    public static func pseudorandom() -> Ghid {
        var generator = SystemRandomNumberGenerator()
        return pseudorandom(using: &generator)
    }

    public static func == (lhs: Ghid, rhs: Ghid) -> Bool {
        lhs.algorithm == rhs.algorithm
            && lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3 && lhs.words.4 == rhs.words.4 && lhs.words.5 == rhs.words.5
            && lhs.words.6 == rhs.words.6 && lhs.words.7 == rhs.words.7
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(algorithm)
        withUnsafeBytes(of: words) { hasher.combine(bytes: $0) }
    }

    /// The XOR of two addresses: the HKDF salt of the request MAC.
    func addressXOR(_ other: Ghid) -> [UInt8] {
        zip(address, other.address).map { $0 ^ $1 }
    }
}

extension Ghid {
    /// The original's `Ghid.as_str()`: URL-safe base64 of the 65 bytes with padding, 88 characters.
    public var base64: String { Base64URL.encode(bytes) }

    /// Parses ``base64`` (padding optional). Returns nil unless it decodes to exactly 65 bytes.
    public init?(base64 text: some StringProtocol) {
        guard let bytes = Base64URL.decode(text) else { return nil }
        self.init(bytes: bytes)
    }

    /// Parses either the 88-character base64 form or 130 hex digits: what users paste on a command line.
    public init?(text: some StringProtocol) {
        if text.count == 2 * Self.byteCount, let bytes = [UInt8](hexString: text) {
            self.init(bytes: bytes)
        } else {
            self.init(base64: text)
        }
    }
}

extension Ghid: CustomStringConvertible, CustomDebugStringConvertible {
    /// A short form for logs, like the original's `Ghid('AQAAA...')`.
    public var description: String { "Ghid('\(base64.prefix(12))...')" }
    public var debugDescription: String { "Ghid('\(base64)')" }
}

extension Ghid: Comparable {
    /// Orders by the wire bytes, so that sorted output is stable across runs and machines.
    public static func < (lhs: Ghid, rhs: Ghid) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension Ghid: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let ghid = Ghid(base64: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a ghid: \(text)")
        }
        self = ghid
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }
}
