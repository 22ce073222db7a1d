/// Failures of the framing and of request/response exchange.
public enum WireError: Error, Hashable, Sendable {
    /// Shorter than the 6-byte header: the connection is closed (as the original does).
    case truncatedMessage(Int)
    /// A protocol version other than 00 00: the connection is closed.
    case unsupportedVersion(UInt8, UInt8)
    case messageTooLarge(Int)
    /// The peer answered `NK`.
    case remote(RemoteError)
    /// The connection closed before the response arrived.
    case connectionClosed
    case timedOut
    /// Every one of the 65,536 tokens is in use on this connection.
    case tooManyPendingRequests
    /// An answer that does not have the shape its request's response has.
    case unexpectedResponse(String)
}

extension WireError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncatedMessage(let count): return "message of \(count) bytes is shorter than the 6-byte header"
        case .unsupportedVersion(let high, let low): return "unsupported protocol version \(high).\(low)"
        case .messageTooLarge(let count): return "message of \(count) bytes exceeds the 10 MiB limit"
        case .remote(let error): return "peer refused: \(error)"
        case .connectionClosed: return "connection closed"
        case .timedOut: return "request timed out"
        case .tooManyPendingRequests: return "too many pending requests on this connection"
        case .unexpectedResponse(let what): return "unexpected response: \(what)"
        }
    }
}

/// An `NK` body: a 2-byte error code and a UTF-8 message (HYPERGOLIX-0.1-WIRE §1.4). Code meanings depend
/// on the protocol: see ``PersistenceErrorCode`` and ``IPCErrorCode``.
public struct RemoteError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: UInt16?
    public var message: String

    public init(code: UInt16?, message: String) {
        self.code = code
        self.message = message
    }

    /// An empty body carries no code; anything else has at least the 2 code bytes.
    public init(parsing body: [UInt8]) {
        if body.count >= 2 {
            code = UInt16(body[0]) << 8 | UInt16(body[1])
            message = String(decoding: body.dropFirst(2), as: UTF8.self)
        } else {
            code = nil
            message = String(decoding: body, as: UTF8.self)
        }
    }

    public func serialized() -> [UInt8] {
        guard let code else { return Array(message.utf8) }
        return [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(message.utf8)
    }

    public var description: String {
        guard let code else { return message.isEmpty ? "unspecified error" : message }
        let hex = String(code, radix: 16, uppercase: true)
        return "[\(String(repeating: "0", count: 4 - hex.count))\(hex)] \(message)"
    }
}
