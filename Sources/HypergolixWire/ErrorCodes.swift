/// The persistence protocol's error table (HYPERGOLIX-0.1-WIRE §1.4), by meaning.
public enum PersistenceErrorCode: UInt16, Sendable, CaseIterable {
    case unspecified = 0x0000
    case malformedObject = 0x0001
    case verificationFailure = 0x0002
    case invalidIdentity = 0x0003
    case unboundContainer = 0x0004
    case alreadyDebound = 0x0005
    case invalidTarget = 0x0006
    case inconsistentAuthor = 0x0007
    case doesNotExist = 0x0008
    case illegalDynamicFrame = 0x0009
    case remoteNak = 0x000A
    case unknownToken = 0x000B
    case dispatchError = 0x000C
    case unknownSecret = 0x000D
    /// Includes unknown request codes and protocol version errors.
    case commsError = 0x000E
    case ipcError = 0x000F
    case valueError = 0xFFFE
    case exception = 0xFFFF
}

/// The IPC protocol's error table (HYPERGOLIX-0.1-WIRE §1.4): 00 01…00 0A as the persistence table, the
/// rest collapses to 00 00, and `IPCError` and its subclasses are FF FF.
public enum IPCErrorCode: UInt16, Sendable, CaseIterable {
    /// Anything without its own code: unknown tokens, dispatch errors, bad values, unknown requests…
    case exception = 0x0000
    case malformedObject = 0x0001
    case verificationFailure = 0x0002
    case invalidIdentity = 0x0003
    case unboundContainer = 0x0004
    case alreadyDebound = 0x0005
    case invalidTarget = 0x0006
    case inconsistentAuthor = 0x0007
    case doesNotExist = 0x0008
    case illegalDynamicFrame = 0x0009
    case remoteNak = 0x000A
    /// `IPCError` and subclasses such as `DeadObject`.
    case ipcError = 0xFFFF
}

extension RemoteError {
    public init(_ code: PersistenceErrorCode, _ message: String) {
        self.init(code: code.rawValue, message: message)
    }

    public init(_ code: IPCErrorCode, _ message: String) {
        self.init(code: code.rawValue, message: message)
    }

    public var persistenceCode: PersistenceErrorCode? { code.flatMap(PersistenceErrorCode.init(rawValue:)) }
    public var ipcCode: IPCErrorCode? { code.flatMap(IPCErrorCode.init(rawValue:)) }
}
