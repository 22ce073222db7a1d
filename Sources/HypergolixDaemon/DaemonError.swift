import Golix
import HypergolixWire
import Persistence

/// Everything that can go wrong in the daemon, each mapped once to the IPC error table at the boundary.
public enum DaemonError: Error, Sendable, Equatable {
    case unknownToken
    /// The connection already holds a token, or the token is bound to another connection.
    case tokenInUse(String)
    case unknownObject(Ghid)
    /// An operation only the author may do (update, delete), or on a static object.
    case locallyImmutable(String)
    /// Private objects belong to the app that made them (§7.13).
    case privateObject(Ghid)
    case unsharable(String)
    /// The object's secret is not known here, so it cannot be read.
    case unknownSecret(Ghid)
    case invalidRequest(String)
    case notImplemented(String)
    case noRemote(String)
    case remoteRefused(String)
    case wrongPassword
    case account(String)
    case persistence(PersistenceError)
    case internalFailure(String)

    /// The `NK` an app receives.
    var remoteError: RemoteError {
        switch self {
        case .persistence(let error):
            let code: IPCErrorCode
            switch error {
            case .malformed: code = .malformedObject
            case .verificationFailed: code = .verificationFailure
            case .invalidIdentity: code = .invalidIdentity
            case .unboundContainer: code = .unboundContainer
            case .alreadyDebound: code = .alreadyDebound
            case .invalidTarget: code = .invalidTarget
            case .inconsistentAuthor: code = .inconsistentAuthor
            case .doesNotExist: code = .doesNotExist
            case .illegalDynamicFrame: code = .illegalDynamicFrame
            case .storage: code = .exception
            }
            return RemoteError(code, description)
        case .unknownObject:
            return RemoteError(IPCErrorCode.doesNotExist, description)
        case .tokenInUse:
            return RemoteError(IPCErrorCode.ipcError, description)
        case .remoteRefused:
            return RemoteError(IPCErrorCode.remoteNak, description)
        default:
            // The original's IPC table sends everything else as 00 00 (its Exception row).
            return RemoteError(IPCErrorCode.exception, description)
        }
    }
}

extension DaemonError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unknownToken: return "unknown app token"
        case .tokenInUse(let why): return why
        case .unknownObject(let ghid): return "no object \(ghid.base64) here or on any remote"
        case .locallyImmutable(let why): return "object is locally immutable: \(why)"
        case .privateObject(let ghid): return "object \(ghid.base64) is private to another app"
        case .unsharable(let why): return "cannot share: \(why)"
        case .unknownSecret(let ghid): return "the secret of \(ghid.base64) is not known here"
        case .invalidRequest(let why): return why
        case .notImplemented(let what): return "\(what) is not implemented"
        case .noRemote(let why): return "no remote could answer: \(why)"
        case .remoteRefused(let why): return "a remote refused: \(why)"
        case .wrongPassword: return "incorrect password"
        case .account(let why): return "account: \(why)"
        case .persistence(let error): return error.description
        case .internalFailure(let why): return "internal failure: \(why)"
        }
    }
}
