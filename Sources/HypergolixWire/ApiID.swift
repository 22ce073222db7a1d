import Golix

/// An application's API identifier: a ghid-shaped 65-byte value with algorithm 0 and 64 free bytes.
/// Objects carry one inside their encrypted header, so a daemon can route shares to the apps that
/// understand them.
public struct ApiID: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 65
    /// The 64 bytes after the algorithm byte.
    public let value: [UInt8]

    public init?(value: [UInt8]) {
        guard value.count == 64 else { return nil }
        self.value = value
    }

    /// Parses the wire form: algorithm byte 0 then 64 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount, bytes.first == 0 else { return nil }
        self.value = Array(bytes.dropFirst())
    }

    public var bytes: [UInt8] { [0] + value }

    /// The all-zero ApiID the original sends when none was given.
    public static let unspecified = ApiID(last: 0)
    /// `hgx.Obj` / raw bytes.
    public static let raw = ApiID(last: 1)
    /// `hgx.PickleObj`.
    public static let pickle = ApiID(last: 2)
    /// `hgx.JsonObj`.
    public static let json = ApiID(last: 3)

    private init(last: UInt8) {
        value = [UInt8](repeating: 0, count: 63) + [last]
    }

    public var isUnspecified: Bool { value.allSatisfy { $0 == 0 } }

    /// An ApiID derived from a name (its SHA-512), for applications defining their own.
    public static func named(_ name: String) -> ApiID {
        ApiID(value: Digests.sha512(Array(name.utf8)))!
    }

    public var description: String {
        let hex = value.hexString
        return "ApiID(\(hex.prefix(8))…\(hex.suffix(4)))"
    }
}

