import Golix
import HypergolixWire

/// An object another user shared with us (or another local app created with a matching API id): what a
/// share handler receives. Fetch the object itself with ``HGXLink/get(_:_:)``.
public struct IncomingShare: Hashable, Sendable {
    /// The shared object's address.
    public let ghid: Ghid
    /// The fingerprint of the user who shared it; our own fingerprint when another app of ours created it.
    public let origin: Ghid
    /// The object's API id, which chose this handler.
    public let apiID: ApiID

    public init(ghid: Ghid, origin: Ghid, apiID: ApiID) {
        self.ghid = ghid
        self.origin = origin
        self.apiID = apiID
    }
}
