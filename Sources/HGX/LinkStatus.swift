import Golix
import HypergolixWire
import Synchronization

/// What a link knows about its session that must be readable synchronously (from objects' `isOwned`, from
/// the responder): who we are, our token, whether we are connected.
final class LinkStatus: Sendable {
    private struct State {
        var whoami: Ghid?
        var token: AppToken?
        var isConnected = false
        var connections = 0
    }

    private let state = Mutex(State())

    var whoami: Ghid? {
        get { state.withLock { $0.whoami } }
        set { state.withLock { $0.whoami = newValue } }
    }

    var token: AppToken? {
        get { state.withLock { $0.token } }
        set { state.withLock { $0.token = newValue } }
    }

    var isConnected: Bool { state.withLock { $0.isConnected } }
    var connections: Int { state.withLock { $0.connections } }

    func connected(as whoami: Ghid) {
        state.withLock { state in
            state.whoami = whoami
            state.isConnected = true
            state.connections += 1
        }
    }

    func disconnected() {
        state.withLock { $0.isConnected = false }
    }
}
