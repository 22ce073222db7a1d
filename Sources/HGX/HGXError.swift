import HypergolixWire

/// What can go wrong between an application and its Hypergolix daemon.
///
/// Local checks (the ones the original `hgx` makes before asking the daemon) throw ``deadObject``,
/// ``locallyImmutable(_:)``, ``unsharable`` and ``unknownToken``. A refusal from the daemon (`NK`) arrives
/// as the case its code and the request make clear, otherwise as ``ipcFailure(_:)`` carrying the code.
public enum HGXError: Error, Hashable, Sendable {
    /// The object was discarded, deleted (here or elsewhere) or recast; get it again to use it.
    case deadObject
    /// Only the binder of a dynamic object may update it, and a static object cannot change at all.
    case locallyImmutable(String)
    /// Private objects belong to one application and cannot be shared.
    case unsharable
    /// The operation needs an app token and none is registered, or the daemon does not know the token.
    case unknownToken
    /// The daemon refused the token: this connection already has one, or another connection holds it.
    case tokenInUse(String)
    /// The daemon refused the request (an `NK` answer).
    case ipcFailure(IPCFailure)
    /// The connection to the daemon dropped while the request was in flight; whether the daemon applied it
    /// is unknown. The link reconnects by itself.
    case connectionLost
    /// No daemon could be reached in time.
    case unavailable(String)
    /// The link was stopped.
    case stopped
    /// The state could not be encoded or decoded by the object's codec.
    case serialization(String)
    /// The daemon answered with something the protocol does not allow for this request.
    case unexpectedResponse(String)
}

extension HGXError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .deadObject: return "the object is dead (discarded, deleted or recast)"
        case .locallyImmutable(let why): return "the object cannot be changed here: \(why)"
        case .unsharable: return "private objects cannot be shared"
        case .unknownToken: return "no app token is registered, or the daemon does not know it"
        case .tokenInUse(let why): return "the app token is in use: \(why)"
        case .ipcFailure(let failure): return "the daemon refused: \(failure)"
        case .connectionLost: return "the connection to the daemon was lost during the request"
        case .unavailable(let why): return "the daemon is unavailable: \(why)"
        case .stopped: return "the link is stopped"
        case .serialization(let why): return "serialization failed: \(why)"
        case .unexpectedResponse(let what): return "unexpected answer from the daemon: \(what)"
        }
    }
}

extension HGXError {
    /// Maps a failed request: an `NK` to ``ipcFailure(_:)``, a dropped connection to ``connectionLost``.
    init(_ error: WireError) {
        switch error {
        case .remote(let remote): self = .ipcFailure(IPCFailure(remote))
        case .connectionClosed: self = .connectionLost
        case .timedOut: self = .unavailable("the daemon did not answer in time")
        case .unexpectedResponse(let what): self = .unexpectedResponse(what)
        case .truncatedMessage, .unsupportedVersion, .messageTooLarge, .tooManyPendingRequests:
            self = .unexpectedResponse(error.description)
        }
    }
}
