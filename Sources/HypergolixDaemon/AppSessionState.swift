import Golix
import HypergolixWire

/// What the daemon knows about one connected app.
struct AppSessionState {
    let connection: WireConnection
    var token: AppToken?
    var apiIDs: Set<ApiID> = []
    var tracked: Set<Ghid> = []
}
