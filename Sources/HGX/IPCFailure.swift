import HypergolixWire

/// A daemon's refusal: the `NK` error code and message (HYPERGOLIX-0.1-WIRE §1.4).
public struct IPCFailure: Hashable, Sendable, CustomStringConvertible {
    /// The 2-byte code, nil when the `NK` body was empty.
    public let rawCode: UInt16?
    /// The Python `str(exc)` of the daemon's exception; for display only.
    public let message: String

    public init(rawCode: UInt16?, message: String) {
        self.rawCode = rawCode
        self.message = message
    }

    init(_ error: RemoteError) {
        self.init(rawCode: error.code, message: error.message)
    }

    /// The code's meaning in the IPC error table. `.exception` (00 00) covers most daemon failures, including
    /// unknown tokens and bad values; `.ipcError` (FF FF) is `IPCError` and its subclasses such as `DeadObject`.
    public var code: IPCErrorCode? { rawCode.flatMap(IPCErrorCode.init(rawValue:)) }

    public var description: String { RemoteError(code: rawCode, message: message).description }
}
