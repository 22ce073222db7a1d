import Golix
import Synchronization

/// The live objects of a link by ghid, held weakly, so daemon notifications reach every view of an object
/// (several codecs may look at one ghid) and dropping an object needs no bookkeeping.
///
/// While a `>O` for a ghid is in flight, its answer and the daemon's first `!O` may arrive in either order;
/// notifications for such a ghid are kept and replayed once the object exists, so none is lost.
final class ObjectRegistry: Sendable {
    private struct WeakSink {
        weak var sink: (any ObjectSink)?
    }

    private enum Notice {
        case state([UInt8])
        case deletion
    }

    private struct State {
        var sinks: [Ghid: [WeakSink]] = [:]
        var pending: [Ghid: (fetches: Int, notices: [Notice])] = [:]
        var addsSinceSweep = 0
    }

    private let state = Mutex(State())
    /// Objects the app dropped leave empty entries behind; they are swept after this many additions, so an
    /// app that makes many short-lived objects does not grow the table forever.
    static let sweepInterval = 256

    func add(_ sink: any ObjectSink) {
        state.withLock { state in
            state.sinks[sink.ghid, default: []].append(WeakSink(sink: sink))
            state.addsSinceSweep += 1
            if state.addsSinceSweep >= Self.sweepInterval {
                state.addsSinceSweep = 0
                for ghid in Array(state.sinks.keys) { _ = Self.prune(&state, ghid) }
            }
        }
    }

    /// How many ghids have entries (live or not yet swept); for tests.
    var entryCount: Int { state.withLock { $0.sinks.count } }

    func remove(_ sink: any ObjectSink) {
        state.withLock { state in
            let remaining = (state.sinks[sink.ghid] ?? []).filter { $0.sink != nil && $0.sink !== sink }
            state.sinks[sink.ghid] = remaining.isEmpty ? nil : remaining
        }
    }

    /// The live objects at `ghid`, dropping entries whose objects are gone.
    func sinks(for ghid: Ghid) -> [any ObjectSink] {
        state.withLock { state in Self.prune(&state, ghid) }
    }

    /// A live object at `ghid` of exactly this type, to hand out again instead of fetching a copy.
    func existing<Object: ObjectSink>(_ ghid: Ghid, as type: Object.Type) -> Object? {
        sinks(for: ghid).lazy.compactMap { $0 as? Object }.first
    }

    /// Every ghid with at least one live object: what to track again on a new connection.
    func liveGhids() -> [Ghid] {
        state.withLock { state in
            Array(state.sinks.keys).filter { !Self.prune(&state, $0).isEmpty }
        }
    }

    /// Marks a `>O` for `ghid` as in flight.
    func beginFetch(_ ghid: Ghid) {
        state.withLock { $0.pending[ghid, default: (0, [])].fetches += 1 }
    }

    /// Ends an in-flight `>O`: registers `sink` (nil if the fetch failed) and replays what arrived meanwhile.
    func endFetch(_ ghid: Ghid, registering sink: (any ObjectSink)?) {
        let notices = state.withLock { state -> [Notice] in
            if let sink { state.sinks[ghid, default: []].append(WeakSink(sink: sink)) }
            guard var entry = state.pending[ghid] else { return [] }
            entry.fetches -= 1
            state.pending[ghid] = entry.fetches > 0 ? (entry.fetches, []) : nil
            return entry.notices
        }
        guard let sink else { return }
        for notice in notices {
            switch notice {
            case .state(let bytes): sink.receive(state: bytes)
            case .deletion: sink.receiveDeletion()
            }
        }
    }

    /// Delivers an `!O`. Returns false when nobody holds the object (nor is fetching it).
    @discardableResult
    func deliver(state bytes: [UInt8], for ghid: Ghid) -> Bool {
        deliver(.state(bytes), for: ghid)
    }

    /// Delivers an `XO`. Returns false when nobody holds the object (nor is fetching it).
    @discardableResult
    func deliverDeletion(of ghid: Ghid) -> Bool {
        deliver(.deletion, for: ghid)
    }

    private func deliver(_ notice: Notice, for ghid: Ghid) -> Bool {
        let targets = state.withLock { state -> [any ObjectSink] in
            if state.pending[ghid] != nil { state.pending[ghid]?.notices.append(notice) }
            return Self.prune(&state, ghid)
        }
        for sink in targets {
            switch notice {
            case .state(let bytes): sink.receive(state: bytes)
            case .deletion: sink.receiveDeletion()
            }
        }
        return !targets.isEmpty || state.withLock { $0.pending[ghid] != nil }
    }

    /// Ends every object's update streams and forgets them.
    func stopAll() {
        let all = state.withLock { state -> [any ObjectSink] in
            let all = state.sinks.values.flatMap { $0.compactMap(\.sink) }
            state.sinks.removeAll()
            return all
        }
        for sink in all { sink.linkStopped() }
    }

    private static func prune(_ state: inout State, _ ghid: Ghid) -> [any ObjectSink] {
        let live = (state.sinks[ghid] ?? []).compactMap(\.sink)
        state.sinks[ghid] = live.isEmpty ? nil : live.map { WeakSink(sink: $0) }
        return live
    }
}
