import Golix
import HypergolixWire
import Logging
import Synchronization

/// A Hypergolix object: an end-to-end encrypted value at a hash address (its ghid), kept in sync by the
/// daemon. `Codec` turns its state into the bytes the daemon stores (``RawCodec``, ``JSONCodec``,
/// ``CodableCodec``, or your own ``HGXCodec``). This is `hgx.Obj` in the original.
///
/// Get objects from ``HGXLink/new(_:state:apiID:dynamic:private:)`` and ``HGXLink/get(_:_:)``. An object is
/// *owned* when we bound it (our fingerprint is its binder), and *mutable* when it is owned and dynamic:
/// only then can ``push(_:)`` change it. Updates others push arrive by themselves: read ``state``, set a
/// ``callback``, or iterate ``updates``.
///
/// ```swift
/// let status = try await link.get(JSONCodec.self, ghid)
/// for await event in status.updates {
///     if case .updated(let state) = event { print(state) }
/// }
/// ```
///
/// The link holds objects weakly, as the original does: keep a reference to an object for as long as you
/// want its updates (a callback stored in the object does not keep it alive).
///
/// After ``discard()``, ``delete()``, ``recast(to:)`` or a deletion elsewhere the object is dead: its
/// operations throw ``HGXError/deadObject`` (its last state stays readable).
///
/// Key paths of the state can be read directly on the object (`status.cpu` for `status.state.cpu`).
@dynamicMemberLookup
public final class HGXObject<Codec: HGXCodec>: Sendable {
    /// The object's address.
    public let ghid: Ghid
    /// What kind of object it is, for other applications.
    public let apiID: ApiID
    /// Restricted to the app that created it (needs an app token; cannot be shared).
    public let isPrivate: Bool
    /// Dynamic objects can be updated by their binder; static ones never change.
    public let isDynamic: Bool
    /// The fingerprint of the identity that bound (created) the object.
    public let binder: Ghid?
    /// The link the object talks through.
    public let link: HGXLink

    /// Why an object stopped working.
    enum Life: Sendable {
        case alive, discarded, deleted, deletedElsewhere, recast, linkStopped
    }

    private struct Inner {
        var state: Codec.State
        var packed: [UInt8]
        var life = Life.alive
        var callback: (@Sendable (HGXObject<Codec>) async -> Void)?
        var subscribers: [Int: AsyncStream<HGXObjectEvent<Codec.State>>.Continuation] = [:]
        var nextSubscriber = 0
    }

    private let inner: Mutex<Inner>
    /// Callbacks run one at a time, in order, on their own task: a slow callback delays only later callbacks
    /// of this object, never the connection.
    private let callbackQueue: AsyncStream<@Sendable () async -> Void>.Continuation

    init(
        link: HGXLink, ghid: Ghid, apiID: ApiID, isPrivate: Bool, isDynamic: Bool, binder: Ghid?,
        state: Codec.State, packed: [UInt8]
    ) {
        self.link = link
        self.ghid = ghid
        self.apiID = apiID
        self.isPrivate = isPrivate
        self.isDynamic = isDynamic
        self.binder = binder
        inner = Mutex(Inner(state: state, packed: packed))
        let (queue, continuation) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
        callbackQueue = continuation
        Task {
            for await call in queue { await call() }
        }
    }

    deinit {
        callbackQueue.finish()
        let subscribers = inner.withLock { $0.subscribers.values }
        for subscriber in subscribers { subscriber.finish() }
    }

    // MARK: - Properties

    /// The current state: the last one pushed here or received from upstream.
    public var state: Codec.State { inner.withLock { $0.state } }

    /// Reads a property of the state, so that `object.field` means `object.state.field`.
    public subscript<Value>(dynamicMember keyPath: KeyPath<Codec.State, Value>) -> Value {
        state[keyPath: keyPath]
    }

    /// The author: the same as ``binder`` (the original's early API called it so).
    public var author: Ghid? { binder }

    /// Whether we bound the object (its binder is the link's current ``HGXLink/whoami``).
    public var isOwned: Bool { binder == link.whoami }

    /// Whether ``push(_:)`` can change the object: it is alive, owned and dynamic.
    public var isMutable: Bool { isAlive && isOwned && isDynamic }

    /// False once the object was discarded, deleted (here or elsewhere) or recast, or its link stopped.
    public var isAlive: Bool { inner.withLock { $0.life == .alive } }

    /// Whether the object was deleted, here or by someone else.
    public var isDeleted: Bool { inner.withLock { $0.life == .deleted || $0.life == .deletedElsewhere } }

    var life: Life { inner.withLock { $0.life } }

    // MARK: - Updates

    /// Called with the object after each upstream update (its ``state`` already new) and after it was
    /// deleted elsewhere (then ``isAlive`` is false); not for our own pushes, and not for a notification that
    /// carries the state the object already holds (the original daemon sends such repeats, for instance after
    /// an object another user shared is fetched; its Python client reports them as updates). Calls are made one at a time,
    /// in order. As in the original there is one callback; setting another replaces it. The callback gets
    /// the object as its argument: capturing the object in it instead would keep the object alive forever.
    public var callback: (@Sendable (HGXObject<Codec>) async -> Void)? {
        get { inner.withLock { $0.callback } }
        set { inner.withLock { $0.callback = newValue } }
    }

    /// A new stream of what happens to the object upstream: each update's state, and its deletion. Every
    /// access makes an independent stream that sees events from then on; it ends after a deletion, or when
    /// the object dies here or its link stops.
    public var updates: AsyncStream<HGXObjectEvent<Codec.State>> {
        let (stream, continuation) = AsyncStream.makeStream(of: HGXObjectEvent<Codec.State>.self)
        let id = inner.withLock { inner -> Int? in
            guard inner.life == .alive else { return nil }
            inner.nextSubscriber += 1
            inner.subscribers[inner.nextSubscriber] = continuation
            return inner.nextSubscriber
        }
        if let id {
            continuation.onTermination = { [weak self] _ in
                _ = self?.inner.withLock { $0.subscribers.removeValue(forKey: id) }
            }
        } else {
            continuation.finish()
        }
        return stream
    }

    // MARK: - Operations

    /// Replaces the state and publishes it (`!O`): every holder of the object receives it.
    ///
    /// - Throws: ``HGXError/locallyImmutable(_:)`` unless we own the object and it is dynamic;
    ///   ``HGXError/deadObject`` if it is dead; ``HGXError/serialization(_:)`` if the codec fails.
    public func push(_ newState: Codec.State) async throws(HGXError) {
        try requireAlive()
        guard isOwned else { throw .locallyImmutable("only the binder can update an object") }
        guard isDynamic else { throw .locallyImmutable("a static object cannot be updated") }
        let packed = try Codec.pack(newState)
        let definition = ObjectDefinition(
            address: ghid, isPrivate: isPrivate, isDynamic: false, legroom: link.configuration.legroom, state: packed)
        try await link.performExpectingOK(.updateObject, definition.serialized())
        inner.withLock { inner in
            inner.state = newState
            inner.packed = packed
        }
    }

    /// Changes the state with `change` and pushes the result.
    public func update(_ change: (inout Codec.State) -> Void) async throws(HGXError) {
        var newState = state
        change(&newState)
        try await push(newState)
    }

    /// Asks the daemon to fetch the newest state from its servers (`~O`); a newer state arrives as an update.
    public func sync() async throws(HGXError) {
        try requireAlive()
        try await link.performExpectingOK(.syncObject, ghid.bytes)
    }

    /// Shares the object with the user whose fingerprint is `recipient` (`@O`). They get a read-only copy
    /// that follows every later push. Success means the daemon sent the share, not that it was received
    /// (see ``HGXLink/shareOutcomes``).
    ///
    /// - Throws: ``HGXError/unsharable`` for a private object.
    public func share(with recipient: Ghid) async throws(HGXError) {
        try requireAlive()
        guard !isPrivate else { throw .unsharable }
        try await link.performExpectingOK(.shareObject, ShareNotice.request(ghid, with: recipient))
    }

    /// Makes a static snapshot of the current state at its own address (`*O`) and returns it.
    ///
    /// - Throws: ``HGXError/locallyImmutable(_:)`` for a static object.
    public func freeze() async throws(HGXError) -> HGXObject<Codec> {
        try requireAlive()
        guard isDynamic else { throw .locallyImmutable("a static object cannot be frozen") }
        let body = try await link.perform(.freezeObject, ghid.bytes)
        guard let frozen = Ghid(bytes: body) else { throw .unexpectedResponse("freeze answered \(body.count) bytes") }
        return try await link.get(Codec.self, frozen)
    }

    /// Binds the object again (`#O`), so that it survives its creator's deletion.
    public func hold() async throws(HGXError) {
        try requireAlive()
        try await link.performExpectingOK(.holdObject, ghid.bytes)
    }

    /// Stops receiving the object's updates (`-O`) without deleting it; the object dies here. Get it again
    /// to use it.
    public func discard() async throws(HGXError) {
        try requireAlive()
        try await link.performExpectingOK(.discardObject, ghid.bytes)
        die(.discarded)
    }

    /// Deletes the object everywhere (`XO`): other holders see it deleted, unless they ``hold()`` it.
    public func delete() async throws(HGXError) {
        try requireAlive()
        try await link.performExpectingOK(.deleteObject, ghid.bytes)
        die(.deleted)
    }

    /// The same object seen through another codec, decoding the current bytes. This object dies (the
    /// returned one receives the updates from now on); set a new ``callback`` on it.
    public func recast<Other: HGXCodec>(to codec: Other.Type) throws(HGXError) -> HGXObject<Other> {
        let packed = try inner.withLock { inner throws(HGXError) -> [UInt8] in
            guard inner.life == .alive else { throw .deadObject }
            return inner.packed
        }
        let recast = HGXObject<Other>(
            link: link, ghid: ghid, apiID: apiID, isPrivate: isPrivate, isDynamic: isDynamic, binder: binder,
            state: try Other.unpack(packed), packed: packed)
        link.registry.add(recast)
        die(.recast)
        return recast
    }

    private func requireAlive() throws(HGXError) {
        guard isAlive else { throw .deadObject }
    }

    /// Ends the object's life here: no more updates, streams end.
    private func die(_ reason: Life) {
        let subscribers = inner.withLock { inner -> [AsyncStream<HGXObjectEvent<Codec.State>>.Continuation] in
            guard inner.life == .alive else { return [] }
            inner.life = reason
            defer { inner.subscribers.removeAll() }
            return Array(inner.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
        link.registry.remove(self)
    }
}

extension HGXObject: ObjectSink {
    func receive(state bytes: [UInt8]) {
        let decoded: Codec.State
        do {
            decoded = try Codec.unpack(bytes)
        } catch {
            // The original raises here and the daemon logs it; the old state stays.
            link.configuration.logger.warning("update of \(ghid) does not decode as \(Codec.self): \(error)")
            return
        }
        let notify = inner.withLock { inner -> (callback: (@Sendable (HGXObject<Codec>) async -> Void)?, subscribers: [AsyncStream<HGXObjectEvent<Codec.State>>.Continuation])? in
            guard inner.life == .alive, inner.packed != bytes else { return nil }
            inner.state = decoded
            inner.packed = bytes
            return (inner.callback, Array(inner.subscribers.values))
        }
        guard let notify else { return }
        for subscriber in notify.subscribers { subscriber.yield(.updated(decoded)) }
        if let callback = notify.callback { callbackQueue.yield { await callback(self) } }
    }

    func receiveDeletion() {
        let notify = inner.withLock { inner -> (callback: (@Sendable (HGXObject<Codec>) async -> Void)?, subscribers: [AsyncStream<HGXObjectEvent<Codec.State>>.Continuation])? in
            guard inner.life == .alive else { return nil }
            inner.life = .deletedElsewhere
            defer { inner.subscribers.removeAll() }
            return (inner.callback, Array(inner.subscribers.values))
        }
        guard let notify else { return }
        for subscriber in notify.subscribers {
            subscriber.yield(.deleted)
            subscriber.finish()
        }
        if let callback = notify.callback { callbackQueue.yield { await callback(self) } }
        link.registry.remove(self)
    }

    func linkStopped() {
        die(.linkStopped)
    }
}

extension HGXObject: Equatable where Codec.State: Equatable {
    /// Objects are equal when their ghid, binder and state are, as in the original.
    public static func == (lhs: HGXObject, rhs: HGXObject) -> Bool {
        lhs.ghid == rhs.ghid && lhs.binder == rhs.binder && lhs.state == rhs.state
    }

    /// Compares the state with a plain value, as the original's proxies compare with non-Hypergolix values.
    public static func == (lhs: HGXObject, rhs: Codec.State) -> Bool {
        lhs.state == rhs
    }
}

extension HGXObject: Hashable where Codec.State: Equatable {
    /// Hashes the ghid only: equal objects share a ghid, and the state may change while the object is a key.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ghid)
    }
}

extension HGXObject: CustomStringConvertible {
    public var description: String {
        "<HGXObject<\(Codec.self)> \(state) at \(ghid)\(isAlive ? "" : " (dead)")>"
    }
}

/// An object whose state is raw bytes (`hgx.Obj`).
public typealias HGXRawObject = HGXObject<RawCodec>
/// An object whose state is JSON (`hgx.JsonObj`).
public typealias HGXJSONObject = HGXObject<JSONCodec>
