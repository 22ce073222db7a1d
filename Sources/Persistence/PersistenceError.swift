import Golix

/// Why a persistence provider refused an object or a query. Each case is one row of the original's error
/// table; the server maps them to wire codes.
public enum PersistenceError: Error, Sendable, Hashable {
    /// Not parseable, or its address does not match its bytes (00 01).
    case malformed(String)
    /// Its signature does not verify (00 02).
    case verificationFailed(String)
    /// Its author, binder, debinder or recipient is not a known identity (00 03).
    case invalidIdentity(Ghid)
    /// A container that nothing binds (00 04).
    case unboundContainer(Ghid)
    /// Already withdrawn by a valid debinding (00 05).
    case alreadyDebound(Ghid)
    /// Binds or debinds a kind of object it may not (00 06).
    case invalidTarget(String)
    /// Signed by someone other than who may (00 07).
    case inconsistentAuthor(String)
    /// No such object (00 08).
    case doesNotExist(Ghid)
    /// A frame that does not advance its binding (00 09).
    case illegalDynamicFrame(String)
    /// The storage failed (00 00).
    case storage(String)

    /// Maps a Golix parse or verification failure to the provider's classification.
    public init(_ error: GolixError) {
        switch error.kind {
        case .malformed, .local: self = .malformed(error.description)
        case .unauthentic: self = .verificationFailed(error.description)
        case .unknownIdentity:
            if case .unknownIdentity(let ghid) = error { self = .invalidIdentity(ghid) } else { self = .malformed(error.description) }
        }
    }

    public init(_ error: StorageError) {
        self = .storage(error.description)
    }
}

extension PersistenceError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformed(let why): return "malformed object: \(why)"
        case .verificationFailed(let why): return "verification failed: \(why)"
        case .invalidIdentity(let ghid): return "\(ghid.base64) is not a known identity"
        case .unboundContainer(let ghid): return "container \(ghid.base64) is not bound by anything"
        case .alreadyDebound(let ghid): return "\(ghid.base64) has already been debound"
        case .invalidTarget(let why): return "invalid target: \(why)"
        case .inconsistentAuthor(let why): return "inconsistent author: \(why)"
        case .doesNotExist(let ghid): return "\(ghid.base64) does not exist"
        case .illegalDynamicFrame(let why): return "illegal dynamic frame: \(why)"
        case .storage(let why): return "storage failure: \(why)"
        }
    }
}
