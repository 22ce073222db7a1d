/// A 16-byte application token: identifies an app across connections and restarts (its startup object
/// and private objects hang off it). The all-zero token asks the daemon for a new one.
public struct AppToken: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 16
    public let bytes: [UInt8]

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = Array(bytes)
    }

    public static let null = AppToken(bytes: [UInt8](repeating: 0, count: byteCount))!

    public var isNull: Bool { bytes.allSatisfy { $0 == 0 } }

    public static func random() -> AppToken {
        var generator = SystemRandomNumberGenerator()
        var token: AppToken
        repeat {
            token = AppToken(bytes: (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })!
        } while token.isNull
        return token
    }

    public var description: String { "AppToken(\(bytes.prefix(4).hexString)…)" }
}
