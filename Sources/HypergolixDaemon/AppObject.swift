import Golix
import HypergolixWire

/// An application object as the daemon reads it: what `>O` and `!O` carry.
struct AppObject: Equatable, Sendable {
    /// The object's ghid: the dynamic ghid, or the container ghid of a static object.
    var ghid: Ghid
    /// The binder of a dynamic object, the author of a static one.
    var author: Ghid
    var isDynamic: Bool
    var apiID: ApiID
    var state: [UInt8]
    /// The container the state was read from.
    var container: Ghid

    func definition(isPrivate: Bool, legroom: UInt8? = nil) -> ObjectDefinition {
        ObjectDefinition(address: ghid, author: author, isPrivate: isPrivate, isDynamic: isDynamic, legroom: legroom,
                         apiID: apiID, isLink: false, state: state)
    }
}
