import HypergolixWire
import Persistence

extension RemoteError {
    /// The `NK` a persistence server answers for a refused object or query.
    init(_ error: PersistenceError) {
        let code: PersistenceErrorCode
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
        case .storage: code = .unspecified
        }
        self.init(code, error.description)
    }
}
