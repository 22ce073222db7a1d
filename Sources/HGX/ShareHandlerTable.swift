import HypergolixWire
import Logging
import Synchronization

/// The share handlers of a link, one per API id (a new one replaces the old, as in the original), reachable
/// without the link actor so that incoming `@O` notifications are answered at once.
final class ShareHandlerTable: Sendable {
    enum Handler: Sendable {
        /// Runs in its own task for each share, like the original's `ensure_future`.
        case closure(@Sendable (IncomingShare) async -> Void)
        /// Yields to an `AsyncStream`, in arrival order.
        case stream(AsyncStream<IncomingShare>.Continuation)

        func finish() {
            if case .stream(let continuation) = self { continuation.finish() }
        }
    }

    private struct Entry {
        let id: Int
        let handler: Handler
    }

    private struct State {
        var entries: [ApiID: Entry] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Installs `handler` for `apiID` and returns its id and the handler it replaced.
    func install(_ handler: Handler, for apiID: ApiID) -> (id: Int, replaced: Handler?) {
        state.withLock { state in
            state.nextID += 1
            let previous = state.entries.updateValue(Entry(id: state.nextID, handler: handler), forKey: apiID)
            return (state.nextID, previous?.handler)
        }
    }

    /// Removes the handler for `apiID`; with `id`, only if it is still that one. Returns what was removed.
    @discardableResult
    func remove(_ apiID: ApiID, id: Int? = nil) -> Handler? {
        state.withLock { state in
            guard let entry = state.entries[apiID], id == nil || entry.id == id else { return nil }
            state.entries[apiID] = nil
            return entry.handler
        }
    }

    func contains(_ apiID: ApiID, id: Int) -> Bool {
        state.withLock { $0.entries[apiID]?.id == id }
    }

    var apiIDs: [ApiID] { state.withLock { Array($0.entries.keys) } }

    /// Hands an incoming share to its handler without waiting for it.
    func deliver(_ share: IncomingShare) {
        guard let handler = state.withLock({ $0.entries[share.apiID]?.handler }) else {
            // The original answers this by deregistering the API id from inside the handler, which deadlocks
            // (HYPERGOLIX-0.1-WIRE §7.8); a stale registration is harmless, so it is only logged.
            logger.warning("share of \(share.ghid) for \(share.apiID) has no handler; ignored")
            return
        }
        switch handler {
        case .closure(let body): Task { await body(share) }
        case .stream(let continuation): continuation.yield(share)
        }
    }

    func finishAll() {
        let handlers = state.withLock { state -> [Handler] in
            defer { state.entries.removeAll() }
            return state.entries.values.map(\.handler)
        }
        for handler in handlers { handler.finish() }
    }
}
