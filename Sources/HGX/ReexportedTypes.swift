import Golix
import HypergolixWire

// The wire types an app needs, so that `import HGX` alone is enough to use the library.

/// A Golix hash address: of an object, or of a user (their fingerprint). `Ghid(base64:)` reads the text
/// form `ghid.base64` writes (the original's `Ghid.from_str` / `as_str`).
public typealias Ghid = Golix.Ghid
/// What kind of object something is, for routing shares to the apps that understand it.
public typealias ApiID = HypergolixWire.ApiID
/// An application's identity across sessions, for its startup object and private objects.
public typealias AppToken = HypergolixWire.AppToken
/// The meaning of a daemon refusal's code (see ``IPCFailure/code``).
public typealias IPCErrorCode = HypergolixWire.IPCErrorCode
