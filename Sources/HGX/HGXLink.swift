import Golix
import HypergolixWire
import Logging

/// An application's connection to its local Hypergolix daemon (`hgx.HGXLink` in the original).
///
/// ```swift
/// let link = try await HGXLink.connect()                  // localhost:7772
/// let greeting = try await link.new(JSONCodec.self, state: "Hello world!")
/// try await greeting.share(with: bob)                     // bob: a fingerprint Ghid
/// try await greeting.push("Hello Hypergolix!")            // bob's copy updates
/// await link.stop()
/// ```
///
/// The link reconnects by itself when the connection drops, with backoff: it asks ``whoami`` again,
/// re-registers its app token and every share handler, and re-reads every live object so that none misses
/// an update (the original client did none of this, HYPERGOLIX-0.1-WIRE §7.7). Operations started while it
/// reconnects wait for the new connection; a request that was in flight when the connection dropped throws
/// ``HGXError/connectionLost``, as the daemon may or may not have applied it.
///
/// Call ``stop()`` when done: the link keeps itself alive while it runs.
public actor HGXLink {
    public nonisolated let configuration: Configuration
    /// Results of our shares (`^S`/`^F`), for apps with a token. Single consumer; the newest 256 are kept
    /// while nobody reads.
    public nonisolated let shareOutcomes: AsyncStream<ShareOutcome>

    nonisolated let status = LinkStatus()
    nonisolated let registry = ObjectRegistry()
    nonisolated let shareHandlers: ShareHandlerTable
    private nonisolated let outcomesContinuation: AsyncStream<ShareOutcome>.Continuation
    private nonisolated let logger: Logger

    private var connection: WireConnection?
    private var supervisor: Task<Void, Never>?
    private var isStopped = false
    private var waiters: [Int: CheckedContinuation<WireConnection, any Error>] = [:]
    private var nextWaiter = 0
    private var lastFailure: String

    private init(configuration: Configuration) {
        self.configuration = configuration
        lastFailure = "not connected yet to \(configuration.url)"
        logger = configuration.logger
        shareHandlers = ShareHandlerTable(logger: configuration.logger)
        (shareOutcomes, outcomesContinuation) = AsyncStream.makeStream(of: ShareOutcome.self, bufferingPolicy: .bufferingNewest(256))
    }

    /// Connects to the daemon at `127.0.0.1:ipcPort` and learns who we are.
    public static func connect(ipcPort: Int = 7772, host: String = "127.0.0.1") async throws(HGXError) -> HGXLink {
        try await connect(configuration: Configuration(host: host, ipcPort: ipcPort))
    }

    /// Connects as `configuration` says, waiting up to its `connectTimeout` for the daemon.
    public static func connect(configuration: Configuration) async throws(HGXError) -> HGXLink {
        let link = HGXLink(configuration: configuration)
        try await link.start()
        return link
    }

    private func start() async throws(HGXError) {
        supervisor = Task { await self.superviseConnections() }
        do {
            _ = try await currentConnection(waitingAtMost: configuration.connectTimeout)
        } catch {
            let reason = lastFailure
            await stop()
            throw error == .stopped ? .unavailable(reason) : error
        }
    }

    // MARK: - Who we are

    /// The fingerprint of the daemon's logged-in user: what others share with. Known from the moment
    /// ``connect(configuration:)`` returns, refreshed on every reconnect.
    public nonisolated var whoami: Ghid {
        // Set before `connect` returns and never cleared, so the fallback is unreachable.
        status.whoami ?? Ghid(algorithm: 0, address: [UInt8](repeating: 0, count: Ghid.addressByteCount))!
    }

    /// Asks the daemon who we are (`?I`) now.
    @discardableResult
    public func fetchWhoami() async throws(HGXError) -> Ghid {
        let body = try await perform(.whoami)
        guard let ghid = Ghid(bytes: body) else { throw .unexpectedResponse("whoami answered \(body.count) bytes") }
        status.whoami = ghid
        return ghid
    }

    /// Whether the link is connected now (it reconnects by itself when not).
    public nonisolated var isConnected: Bool { status.isConnected }

    /// How many times the link has connected (1 after ``connect(configuration:)``, more after reconnects).
    public nonisolated var connectionCount: Int { status.connections }

    // MARK: - App tokens and the startup object

    /// The app token, once registered.
    public nonisolated var token: AppToken? { status.token }

    /// Registers the app with the daemon (`+T`): with no token, gets a new one (save ``token`` to resume
    /// later); with a saved one, resumes it and returns the app's startup object, if it declared one.
    ///
    /// A link holds at most one token; it is registered again after every reconnect.
    ///
    /// - Throws: ``HGXError/unknownToken`` if the daemon does not know `token`; ``HGXError/tokenInUse(_:)``
    ///   if this link already has a token or another connection holds it.
    @discardableResult
    public func registerToken(_ token: AppToken? = nil) async throws(HGXError) -> Ghid? {
        if let current = status.token { throw .tokenInUse("this link already registered \(current)") }
        let requested = token ?? .null
        let body: [UInt8]
        do {
            body = try await perform(.setToken, requested.bytes)
        } catch .ipcFailure(let failure) {
            throw Self.tokenError(failure, resuming: token != nil)
        }
        guard let granted = AppToken(bytes: body), !granted.isNull else {
            throw .unexpectedResponse("set_token answered \(body.count) bytes")
        }
        status.token = granted
        guard token != nil else { return nil }
        return try await startupObject()
    }

    static func tokenError(_ failure: IPCFailure, resuming: Bool) -> HGXError {
        switch failure.code {
        case .ipcError: return .tokenInUse(failure.message)
        case .exception where resuming: return .unknownToken
        default: return .ipcFailure(failure)
        }
    }

    /// The app's startup object (`>$`), or nil if it declared none.
    public func startupObject() async throws(HGXError) -> Ghid? {
        try requireToken()
        let body = try await perform(.getStartup)
        if body.isEmpty { return nil }
        guard let ghid = Ghid(bytes: body) else { throw .unexpectedResponse("startup object of \(body.count) bytes") }
        return ghid
    }

    /// Declares `ghid` the startup object (`+$`), returned by every later ``registerToken(_:)`` with this
    /// token. Fails if one is already declared: deregister it first.
    public func registerStartup(_ ghid: Ghid) async throws(HGXError) {
        try requireToken()
        try await performExpectingOK(.registerStartup, ghid.bytes)
    }

    /// Declares `object` the startup object.
    public func registerStartup<Codec: HGXCodec>(_ object: HGXObject<Codec>) async throws(HGXError) {
        try await registerStartup(object.ghid)
    }

    /// Removes the startup object declaration (`-$`).
    public func deregisterStartup() async throws(HGXError) {
        try requireToken()
        try await performExpectingOK(.deregisterStartup)
    }

    func requireToken() throws(HGXError) {
        guard status.token != nil else { throw .unknownToken }
    }

    // MARK: - Share handlers

    /// Calls `handler` for every object shared with us under `apiID` (`+A`), each call in its own task, as
    /// the original does. Registering again replaces the handler (an open ``shares(for:)`` stream ends).
    ///
    /// The handler also sees objects that other apps of the same user create with this API id; their
    /// `origin` is our own fingerprint. A share arriving while no app registered its API id is not delivered
    /// later by the original daemon, so register before asking anyone to share.
    public func registerShareHandler(
        for apiID: ApiID,
        _ handler: @escaping @Sendable (IncomingShare) async -> Void
    ) async throws(HGXError) {
        try await register(.closure(handler), for: apiID)
    }

    /// The objects shared with us under `apiID`, in arrival order, as an alternative to a handler. The
    /// stream ends when the handler is replaced or deregistered or the link stops; dropping the stream (or
    /// cancelling the task that iterates it) deregisters it.
    public func shares(for apiID: ApiID) async throws(HGXError) -> AsyncStream<IncomingShare> {
        let (stream, continuation) = AsyncStream.makeStream(of: IncomingShare.self)
        let id = try await register(.stream(continuation), for: apiID)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.deregisterIfCurrent(apiID, id: id) }
        }
        return stream
    }

    /// Stops receiving shares for `apiID` (`-A`).
    public func deregisterShareHandler(for apiID: ApiID) async throws(HGXError) {
        shareHandlers.remove(apiID)?.finish()
        try await performExpectingOK(.deregisterAPI, apiID.bytes)
    }

    @discardableResult
    private func register(_ handler: ShareHandlerTable.Handler, for apiID: ApiID) async throws(HGXError) -> Int {
        // Installed before asking, so that a share arriving right after the daemon's answer finds it.
        let (id, replaced) = shareHandlers.install(handler, for: apiID)
        replaced?.finish()
        do {
            try await performExpectingOK(.registerAPI, apiID.bytes)
        } catch {
            shareHandlers.remove(apiID, id: id)?.finish()
            throw error
        }
        return id
    }

    private func deregisterIfCurrent(_ apiID: ApiID, id: Int) async {
        guard !isStopped, shareHandlers.remove(apiID, id: id) != nil else { return }
        do {
            try await performExpectingOK(.deregisterAPI, apiID.bytes)
        } catch {
            logger.debug("could not deregister \(apiID): \(error)")
        }
    }

    // MARK: - Objects

    /// Creates an object (`+O`) holding `state`, encoded by `codec`.
    ///
    /// - Parameters:
    ///   - apiID: tells other apps what the object is; defaults to the codec's ``HGXCodec/defaultAPIID``.
    ///   - dynamic: a dynamic object can be updated by its creator; a static one never changes.
    ///   - private: restricts the object to this app (needs an app token); private objects cannot be shared.
    public func new<Codec: HGXCodec>(
        _ codec: Codec.Type,
        state: Codec.State,
        apiID: ApiID? = nil,
        dynamic: Bool = true,
        private isPrivate: Bool = false
    ) async throws(HGXError) -> HGXObject<Codec> {
        if isPrivate { try requireToken() }
        let packed = try Codec.pack(state)
        let apiID = apiID ?? Codec.defaultAPIID
        let definition = ObjectDefinition(
            isPrivate: isPrivate, isDynamic: dynamic, legroom: configuration.legroom, apiID: apiID, state: packed)
        let body = try await perform(.newObject, definition.serialized())
        guard let ghid = Ghid(bytes: body) else { throw .unexpectedResponse("new object answered \(body.count) bytes") }
        let object = HGXObject<Codec>(
            link: self, ghid: ghid, apiID: apiID, isPrivate: isPrivate, isDynamic: dynamic, binder: status.whoami,
            state: state, packed: packed)
        registry.add(object)
        return object
    }

    /// Retrieves the object at `ghid` (`>O`), decoded by `codec`, and starts receiving its updates.
    ///
    /// While an object for `ghid` with this codec is alive, that same instance is returned. Use
    /// ``HGXObject/recast(to:)`` to change the codec of an object you hold.
    public func get<Codec: HGXCodec>(_ codec: Codec.Type, _ ghid: Ghid) async throws(HGXError) -> HGXObject<Codec> {
        if let existing = registry.existing(ghid, as: HGXObject<Codec>.self), existing.isAlive { return existing }
        registry.beginFetch(ghid)
        let object: HGXObject<Codec>
        do {
            object = try await fetch(codec, ghid)
        } catch {
            registry.endFetch(ghid, registering: nil)
            throw error
        }
        registry.endFetch(ghid, registering: object)
        return object
    }

    private func fetch<Codec: HGXCodec>(_ codec: Codec.Type, _ ghid: Ghid) async throws(HGXError) -> HGXObject<Codec> {
        let body = try await perform(.getObject, ghid.bytes)
        let definition: ObjectDefinition
        do {
            definition = try ObjectDefinition(parsing: body)
        } catch {
            throw .unexpectedResponse("object definition: \(error.message)")
        }
        if definition.isLink {
            try? await performExpectingOK(.discardObject, ghid.bytes)
            throw .unexpectedResponse("\(ghid) is a link to another object, which Hypergolix 0.1 does not support")
        }
        return HGXObject<Codec>(
            link: self, ghid: ghid, apiID: definition.apiID, isPrivate: definition.isPrivate,
            isDynamic: definition.isDynamic, binder: definition.author, state: try Codec.unpack(definition.state),
            packed: definition.state)
    }

    // MARK: - Stopping

    /// Disconnects for good: pending and later operations throw ``HGXError/stopped``, update streams and
    /// share streams end.
    public func stop() async {
        guard !isStopped else { return }
        isStopped = true
        supervisor?.cancel()
        let current = connection
        connection = nil
        status.disconnected()
        failWaiters(with: .stopped)
        registry.stopAll()
        shareHandlers.finishAll()
        outcomesContinuation.finish()
        await current?.close()
        await supervisor?.value
    }

    // MARK: - Requests

    /// Sends a request on the current connection and returns the `AK` body.
    ///
    /// A request that could not even be sent (the connection had just closed) waits for the next connection
    /// and goes there; one sent on a connection that then drops throws ``HGXError/connectionLost``.
    func perform(_ code: RequestCode, _ body: [UInt8] = []) async throws(HGXError) -> [UInt8] {
        while true {
            let connection = try await currentConnection(waitingAtMost: configuration.reconnectWait)
            let token: UInt16
            do {
                token = try await connection.send(code, body)
            } catch .connectionClosed {
                connectionBroke(connection)
                continue
            } catch {
                throw HGXError(error)
            }
            do {
                return try await connection.response(to: token)
            } catch {
                throw HGXError(error)
            }
        }
    }

    /// Sends a request whose only successful answer is the single byte 01 (§3.2).
    func performExpectingOK(_ code: RequestCode, _ body: [UInt8] = []) async throws(HGXError) {
        let answer = try await perform(code, body)
        guard answer == [1] else { throw .unexpectedResponse("\(code) answered \(answer) instead of 01") }
    }

    // MARK: - Connection lifecycle

    /// Operations waiting for a connection now (for tests).
    var waitingOperations: Int { waiters.count }

    /// Closes the current connection from our side, as a network failure would (for tests).
    func dropConnectionForTesting() async {
        guard let current = connection else { return }
        connectionBroke(current)
        await current.close()
    }

    private func currentConnection(waitingAtMost limit: Duration?) async throws(HGXError) -> WireConnection {
        if isStopped { throw .stopped }
        if let connection { return connection }
        nextWaiter += 1
        let id = nextWaiter
        let timer = limit.map { limit in
            Task { [weak self] in
                try? await Task.sleep(for: limit)
                await self?.expireWaiter(id)
            }
        }
        defer { timer?.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    waiters[id] = continuation
                    if Task.isCancelled { expireWaiter(id, with: CancellationError()) }
                }
            } onCancel: {
                Task { await self.expireWaiter(id, with: CancellationError()) }
            }
        } catch let error as HGXError {
            throw error
        } catch {
            throw .unavailable("cancelled while waiting for the daemon")
        }
    }

    private func expireWaiter(_ id: Int, with error: (any Error)? = nil) {
        waiters.removeValue(forKey: id)?.resume(throwing: error ?? HGXError.unavailable(lastFailure))
    }

    private func failWaiters(with error: HGXError) {
        let all = waiters.values
        waiters.removeAll()
        for waiter in all { waiter.resume(throwing: error) }
    }

    /// Stops handing out `broken` and closes it, which ends the supervisor's watch and starts a reconnect.
    private func connectionBroke(_ broken: WireConnection) {
        guard connection === broken else { return }
        connection = nil
        status.disconnected()
        Task { await broken.close() }
    }

    /// Connects, introduces the app (who am I, token, handlers, objects), hands the connection to waiting
    /// operations, watches it until it closes, and starts over with backoff, until stopped.
    private func superviseConnections() async {
        var failures = 0
        let responder = LinkResponder(
            registry: registry, shareHandlers: shareHandlers, outcomes: outcomesContinuation, logger: logger)
        while !isStopped && !Task.isCancelled {
            var opened: WireConnection?
            do {
                let fresh = try await WebSocketConnector.connect(
                    url: configuration.url, responder: responder, unknownRequestCode: IPCErrorCode.exception.rawValue,
                    logger: logger, isOrdered: LinkResponder.isOrdered)
                opened = fresh
                let whoami = try await introduce(on: fresh)
                guard !isStopped else {
                    await fresh.close()
                    return
                }
                failures = 0
                connection = fresh
                status.connected(as: whoami)
                logger.debug("connected to the daemon at \(configuration.url) as \(whoami)")
                let ready = waiters.values
                waiters.removeAll()
                for waiter in ready { waiter.resume(returning: fresh) }
                await watch(fresh)
                connectionBroke(fresh)
                await fresh.close()
                if !isStopped { logger.info("lost the connection to the daemon; reconnecting") }
            } catch {
                await opened?.close()
                failures += 1
                lastFailure = "\(configuration.url): \(error)"
                logger.debug("could not reach the daemon (attempt \(failures)): \(error)")
                try? await Task.sleep(for: configuration.reconnect.delay(afterFailures: failures))
            }
        }
    }

    /// Waits until `watched` closes: by the daemon, or by us when a request found it broken, a test dropped
    /// it or the link stopped.
    private func watch(_ watched: WireConnection) async {
        await watched.waitUntilClosed()
    }

    /// What a new connection needs before the app may use it: `?I`, then our token (`+T`), every share
    /// handler's API id (`+A`), and `>O` for every live object, applying any state that changed meanwhile.
    private func introduce(on connection: WireConnection) async throws -> Ghid {
        let handshakeLimit = Duration.seconds(30)
        let body = try await connection.request(.whoami, [], timeout: handshakeLimit)
        guard let whoami = Ghid(bytes: body) else { throw HGXError.unexpectedResponse("whoami answered \(body.count) bytes") }
        if let token = status.token {
            try await reregister(token, on: connection, limit: handshakeLimit)
        }
        for apiID in shareHandlers.apiIDs {
            let answer = try await connection.request(.registerAPI, apiID.bytes, timeout: handshakeLimit)
            guard answer == [1] else { throw HGXError.unexpectedResponse("register_api answered \(answer)") }
        }
        for ghid in registry.liveGhids() {
            do {
                let definition = try ObjectDefinition(
                    parsing: try await connection.request(.getObject, ghid.bytes, timeout: handshakeLimit))
                registry.deliver(state: definition.state, for: ghid)
            } catch {
                if let failure = error as? WireError, failure == .connectionClosed || failure == .timedOut { throw failure }
                logger.warning("could not track \(ghid) again after reconnecting: \(error)")
            }
        }
        return whoami
    }

    /// `+T` with our saved token. Right after a reconnect the daemon may not yet have noticed that the old
    /// connection is gone and still hold the token there, so "in use" is retried for a while.
    private func reregister(_ token: AppToken, on connection: WireConnection, limit: Duration) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var attempt = 0
        while true {
            do {
                _ = try await connection.request(.setToken, token.bytes, timeout: limit)
                return
            } catch .remote(let refusal) {
                switch Self.tokenError(IPCFailure(refusal), resuming: true) {
                case .tokenInUse where ContinuousClock.now < deadline:
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(min(20 * attempt, 500)))
                case let error:
                    // The daemon forgot the token (another user, or its state was reset) or keeps it bound
                    // elsewhere: go on without one rather than never reconnecting.
                    logger.error("could not register \(token) again after reconnecting (\(error)); continuing without an app token")
                    status.token = nil
                    return
                }
            }
        }
    }
}
