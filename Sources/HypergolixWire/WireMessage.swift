/// One protocol message: `version (2) = 00 00 | code (2) | token u16 | body`, sent as one binary WebSocket
/// message. Both the persistence and the IPC protocol use this framing (HYPERGOLIX-0.1-WIRE §1.2).
public struct WireMessage: Hashable, Sendable {
    public static let version: (UInt8, UInt8) = (0, 0)
    public static let headerLength = 6
    /// The original's (and so every peer's) message size limit.
    public static let maximumLength = 10 * 1024 * 1024

    public var code: RequestCode
    public var token: UInt16
    public var body: [UInt8]

    public init(code: RequestCode, token: UInt16, body: [UInt8] = []) {
        self.code = code
        self.token = token
        self.body = body
    }

    public init(parsing bytes: some Collection<UInt8>) throws(WireError) {
        guard bytes.count >= Self.headerLength else { throw .truncatedMessage(bytes.count) }
        var index = bytes.startIndex
        func next() -> UInt8 {
            defer { index = bytes.index(after: index) }
            return bytes[index]
        }
        let version = (next(), next())
        guard version == Self.version else { throw .unsupportedVersion(version.0, version.1) }
        code = RequestCode(next(), next())
        token = UInt16(next()) << 8 | UInt16(next())
        body = Array(bytes[index...])
    }

    public func serialized() -> [UInt8] {
        var out = [Self.version.0, Self.version.1, code.bytes.0, code.bytes.1, UInt8(token >> 8), UInt8(token & 0xFF)]
        out.reserveCapacity(Self.headerLength + body.count)
        out += body
        return out
    }

    public var isResponse: Bool { code == .ack || code == .nak }
}
