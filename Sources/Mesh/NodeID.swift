/// The identity of one node in a mesh.
///
/// 128 random bits are enough that independently started nodes never collide, so ids need no
/// coordination. The all-zero id is reserved: on the wire it means "no particular node".
public struct NodeID: Hashable, Comparable, Sendable {
    /// Most significant half, as it appears first on the wire.
    public let high: UInt64
    /// Least significant half.
    public let low: UInt64

    /// Returns `nil` for the reserved all-zero id.
    public init?(high: UInt64, low: UInt64) {
        guard high != 0 || low != 0 else { return nil }
        self.high = high
        self.low = low
    }

    /// A fresh random id.
    public static func random() -> NodeID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A random id drawn from `generator`; tests use a seeded one to get stable ids.
    public static func random<Generator: RandomNumberGenerator>(using generator: inout Generator) -> NodeID {
        while true {
            if let id = NodeID(high: generator.next(), low: generator.next()) {
                return id
            }
        }
    }

    /// Parses the 32 hex digits that `description` prints.
    public init?(hex: some StringProtocol) {
        let digits = Array(hex.utf8)
        guard digits.count == 32,
            let high = UInt64(String(decoding: digits[0..<16], as: UTF8.self), radix: 16),
            let low = UInt64(String(decoding: digits[16..<32], as: UTF8.self), radix: 16)
        else { return nil }
        self.init(high: high, low: low)
    }

    /// The first 8 hex digits: what people read in logs and listings.
    public var shortDescription: String {
        String(description.prefix(8))
    }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

extension NodeID: CustomStringConvertible {
    /// 32 lowercase hex digits.
    public var description: String {
        Self.hex(high) + Self.hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
