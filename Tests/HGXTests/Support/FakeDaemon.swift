import Foundation
import Golix
import Hummingbird
import HummingbirdWebSocket
import HypergolixWire
import Logging
import Synchronization

/// An in-process stand-in for a Hypergolix app daemon: the IPC protocol of HYPERGOLIX-0.1-WIRE §3 on a
/// loopback WebSocket, with the original dispatcher's rules (tokens, startup objects, API routing, tracking,
/// private objects, share results) over objects kept in memory in a ``FakeNetwork``. It records every
/// request it receives and every answer to its own notifications, can drop its connections or stop and
/// restart on the same port, and can be told to refuse a request.
actor FakeDaemon {
    struct Received: Sendable {
        let session: Int
        let code: RequestCode
        let body: [UInt8]
    }

    struct Answer: Sendable {
        let session: Int
        let code: RequestCode
        let result: Result<[UInt8], WireError>
    }

    private struct Session {
        let connection: WireConnection
        var token: AppToken?
        var apis: Set<ApiID> = []
        var tracked: Set<Ghid> = []
        let outbox: AsyncStream<(RequestCode, [UInt8])>.Continuation
    }

    let fingerprint: Ghid
    let network: FakeNetwork
    private let logger: Logger
    private var sessions: [Int: Session] = [:]
    private var nextSession = 0
    private var knownTokens: Set<AppToken> = [.null]
    private var tokenHolders: [AppToken: Int] = [:]
    private var startup: [AppToken: Ghid] = [:]
    private var privateOwners: [Ghid: AppToken] = [:]
    private var refusals: [RequestCode: RemoteError] = [:]
    private var stalls: Set<RequestCode> = []
    private(set) var received: [Received] = []
    private(set) var answers: [Answer] = []
    /// Whether dropped connections keep holding their tokens until ``releaseTokens()``, as a daemon that
    /// notices a drop late would.
    private var holdsTokens = false
    private var heldReleases: [CheckedContinuation<Void, Never>] = []

    private var server: Task<Void, any Error>?
    private(set) var port = 0

    init(fingerprint: Ghid = .pseudorandom(), network: FakeNetwork = FakeNetwork()) async {
        self.fingerprint = fingerprint
        self.network = network
        var logger = Logger(label: "fake-daemon")
        logger.logLevel = .critical
        self.logger = logger
        await network.join(self, as: fingerprint)
    }

    /// Starts listening on 127.0.0.1 (a free port the first time, the same port on a restart).
    func start() async throws {
        let bound = BoundPort()
        let webSocket = HTTP1WebSocketUpgradeChannel.Configuration(ws: .init(maxFrameSize: WireMessage.maximumLength))
        let app = Application(
            router: Router(),
            server: .http1WebSocketUpgrade(configuration: webSocket) { _, _, _ in
                .upgrade([:]) { inbound, outbound, _ in
                    await self.serve(inbound: inbound, outbound: outbound)
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in bound.set(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        server = Task { try await app.run() }
        port = try await bound.wait()
    }

    /// Stops listening and closes every connection.
    func stop() async {
        await dropConnections()
        server?.cancel()
        _ = await server?.result
        server = nil
    }

    /// Closes every app connection (the apps see their daemon go away), keeping all state.
    func dropConnections() async {
        for session in sessions.values { await session.connection.close() }
    }

    var url: String { "ws://127.0.0.1:\(port)/" }
    var sessionCount: Int { sessions.count }

    /// The next request with `code` gets this `NK` instead of being handled.
    func refuseNext(_ code: RequestCode, with error: RemoteError) {
        refusals[code] = error
    }

    /// The next request with `code` is never answered (until its connection closes).
    func stallNext(_ code: RequestCode) {
        stalls.insert(code)
    }

    func holdTokensOfDroppedConnections() {
        holdsTokens = true
    }

    func releaseTokens() {
        holdsTokens = false
        for release in heldReleases { release.resume() }
        heldReleases = []
    }

    func received(_ code: RequestCode) -> [Received] {
        received.filter { $0.code == code }
    }

    func token(of session: Int) -> AppToken? { sessions[session]?.token }
    func isTracking(_ ghid: Ghid, session: Int) -> Bool { sessions[session]?.tracked.contains(ghid) ?? false }
    func apis(of session: Int) -> Set<ApiID> { sessions[session]?.apis ?? [] }
    var liveSessions: [Int] { sessions.keys.sorted() }

    /// Sends a request to the app on `session`, as the daemon's notifications do, and returns its answer.
    func request(_ code: RequestCode, _ body: [UInt8], session: Int) async throws(WireError) -> [UInt8] {
        guard let connection = sessions[session]?.connection else { throw .connectionClosed }
        return try await connection.request(code, body, timeout: .seconds(10))
    }

    // MARK: - Connections

    private func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        nextSession += 1
        let id = nextSession
        let connection = WireConnection(
            transport: WebSocketTransport(outbound: outbound),
            responder: Responder(daemon: self, session: id),
            unknownRequestCode: IPCErrorCode.exception.rawValue,
            logger: logger,
            isOrdered: { _ in true }
        )
        let (outbox, continuation) = AsyncStream.makeStream(of: (RequestCode, [UInt8]).self)
        sessions[id] = Session(connection: connection, outbox: continuation)
        // Notifications go out in order without waiting for each answer; answers are recorded as they come.
        let sender = Task {
            for await (code, body) in outbox {
                guard let token = try? await connection.send(code, body) else { continue }
                Task {
                    let result: Result<[UInt8], WireError>
                    do throws(WireError) { result = .success(try await connection.response(to: token, timeout: .seconds(10))) } catch { result = .failure(error) }
                    self.record(Answer(session: id, code: code, result: result))
                }
            }
        }
        await connection.run(WebSocketTransport.messages(inbound))
        continuation.finish()
        sender.cancel()
        await end(id)
    }

    private func record(_ answer: Answer) {
        answers.append(answer)
    }

    private func end(_ id: Int) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        guard let token = session.token else { return }
        if holdsTokens {
            await withCheckedContinuation { heldReleases.append($0) }
        }
        if tokenHolders[token] == id { tokenHolders[token] = nil }
    }

    private func notify(_ session: Int, _ code: RequestCode, _ body: [UInt8]) {
        sessions[session]?.outbox.yield((code, body))
    }

    struct Responder: WireResponder {
        let daemon: FakeDaemon
        let session: Int

        func respond(to request: WireMessage, on connection: WireConnection) async throws(RemoteError) -> WireReply {
            try await daemon.handle(request, session: session)
        }
    }

    // MARK: - The dispatcher

    private func handle(_ request: WireMessage, session id: Int) async throws(RemoteError) -> WireReply {
        received.append(Received(session: id, code: request.code, body: request.body))
        if let refusal = refusals.removeValue(forKey: request.code) { throw refusal }
        if stalls.remove(request.code) != nil {
            while sessions[id] != nil { try? await Task.sleep(for: .milliseconds(10)) }
            throw RemoteError(IPCErrorCode.exception, "stalled")
        }
        guard sessions[id] != nil else { throw RemoteError(IPCErrorCode.exception, "no session") }
        let body = request.body
        switch request.code {
        case .whoami:
            return WireReply(fingerprint.bytes)
        case .setToken:
            return WireReply(try setToken(body, session: id).bytes)
        case .registerAPI, .deregisterAPI:
            guard let apiID = ApiID(bytes: body) else { throw RemoteError(IPCErrorCode.exception, "bad api id") }
            if request.code == .registerAPI {
                sessions[id]?.apis.insert(apiID)
            } else {
                sessions[id]?.apis.remove(apiID)
            }
            return .ok
        case .getStartup:
            let token = try requireToken(id)
            return WireReply(startup[token]?.bytes ?? [])
        case .registerStartup:
            let token = try requireToken(id)
            guard let ghid = Ghid(bytes: body) else { throw RemoteError(IPCErrorCode.exception, "bad ghid") }
            guard startup[token] == nil else {
                throw RemoteError(IPCErrorCode.exception, "Startup object already defined for that application.")
            }
            startup[token] = ghid
            return .ok
        case .deregisterStartup:
            let token = try requireToken(id)
            guard startup.removeValue(forKey: token) != nil else {
                throw RemoteError(IPCErrorCode.exception, "Startup object has not been defined for that application.")
            }
            return .ok
        case .getObject:
            let ghid = try ghid(body)
            guard let object = await network.object(ghid) else { throw RemoteError(IPCErrorCode.doesNotExist, "'\(ghid)'") }
            sessions[id]?.tracked.insert(ghid)
            let definition = ObjectDefinition(
                address: ghid, author: object.author, isPrivate: privateOwners[ghid] != nil, isDynamic: object.isDynamic,
                apiID: object.apiID, state: object.state)
            return WireReply(definition.serialized())
        case .newObject:
            return try await newObject(body, session: id)
        case .updateObject:
            let definition = try ObjectDefinition(parsing: body)
            guard let ghid = definition.address, let object = await network.object(ghid) else {
                throw RemoteError(IPCErrorCode.doesNotExist, "no such object")
            }
            guard object.author == fingerprint, object.isDynamic else {
                throw RemoteError(IPCErrorCode.exception, "cannot update an object we did not bind, or a static one")
            }
            if definition.isPrivate, privateOwners[ghid] == nil {
                throw RemoteError(IPCErrorCode.exception, "CatOuttaBagError: cannot make a public object private")
            }
            if !definition.isPrivate { privateOwners[ghid] = nil }
            await network.update(ghid, state: definition.state, from: self, connection: id)
            return .ok
        case .syncObject, .holdObject:
            let ghid = try ghid(body)
            guard await network.object(ghid) != nil else { throw RemoteError(IPCErrorCode.doesNotExist, "'\(ghid)'") }
            return .ok
        case .discardObject:
            sessions[id]?.tracked.remove(try ghid(body))
            return .ok
        case .shareObject:
            return try await share(body, session: id)
        case .freezeObject:
            let ghid = try ghid(body)
            guard let object = await network.object(ghid), object.isDynamic else {
                throw RemoteError(IPCErrorCode.exception, "cannot freeze")
            }
            let frozen = Ghid.pseudorandom()
            await network.store(FakeNetwork.Object(state: object.state, author: fingerprint, apiID: object.apiID, isDynamic: false), at: frozen)
            return WireReply(frozen.bytes)
        case .deleteObject:
            let ghid = try ghid(body)
            guard let object = await network.object(ghid) else { throw RemoteError(IPCErrorCode.doesNotExist, "'\(ghid)'") }
            guard object.author == fingerprint else { throw RemoteError(IPCErrorCode.inconsistentAuthor, "not ours") }
            sessions[id]?.tracked.remove(ghid)
            await network.delete(ghid, from: self, connection: id)
            return .ok
        default:
            throw RemoteError(IPCErrorCode.exception, "unknown request code \(request.code)")
        }
    }

    private func ghid(_ body: [UInt8]) throws(RemoteError) -> Ghid {
        guard let ghid = Ghid(bytes: body) else { throw RemoteError(IPCErrorCode.exception, "a ghid is 65 bytes") }
        return ghid
    }

    private func requireToken(_ id: Int) throws(RemoteError) -> AppToken {
        // The original raises UnknownToken, which the IPC table sends as 00 00 with an empty message.
        guard let token = sessions[id]?.token else { throw RemoteError(IPCErrorCode.exception, "") }
        return token
    }

    /// The original's `set_token` and `start_application` (HYPERGOLIX-0.1-WIRE §3.2).
    private func setToken(_ body: [UInt8], session id: Int) throws(RemoteError) -> AppToken {
        guard let requested = AppToken(bytes: body) else { throw RemoteError(IPCErrorCode.exception, "a token is 16 bytes") }
        if requested.isNull {
            guard sessions[id]?.token == nil else {
                throw RemoteError(IPCErrorCode.exception, "Token already registered for connection.")
            }
            let fresh = AppToken.random()
            knownTokens.insert(fresh)
            bind(fresh, to: id)
            return fresh
        }
        guard sessions[id]?.token == nil else {
            throw RemoteError(IPCErrorCode.ipcError, "Attempt to reregister a new concurrent token for an existing connection.")
        }
        guard tokenHolders[requested] == nil else {
            throw RemoteError(IPCErrorCode.ipcError, "Attempt to reregister a new concurrent connection for an existing token.")
        }
        guard knownTokens.contains(requested) else { throw RemoteError(IPCErrorCode.exception, "App token unknown to dispatcher.") }
        bind(requested, to: id)
        return requested
    }

    private func bind(_ token: AppToken, to id: Int) {
        sessions[id]?.token = token
        tokenHolders[token] = id
    }

    private func newObject(_ body: [UInt8], session id: Int) async throws(RemoteError) -> WireReply {
        let definition = try ObjectDefinition(parsing: body)
        guard let legroom = definition.legroom, legroom > 0 else {
            throw RemoteError(IPCErrorCode.exception, "int() argument must be a string, a bytes-like object or a number, not 'NoneType'")
        }
        guard !definition.isLink else { throw RemoteError(IPCErrorCode.exception, "links are not implemented") }
        let ghid = Ghid.pseudorandom()
        if definition.isPrivate {
            privateOwners[ghid] = try requireToken(id)
        }
        await network.store(
            FakeNetwork.Object(state: definition.state, author: fingerprint, apiID: definition.apiID, isDynamic: definition.isDynamic),
            at: ghid)
        sessions[id]?.tracked.insert(ghid)
        if !definition.isPrivate {
            // Other local apps that handle this API id hear of it, with our own fingerprint as origin.
            let notice = ShareNotice.incoming(ghid, from: fingerprint, apiID: definition.apiID)
            for (other, session) in sessions where other != id && session.apis.contains(definition.apiID) {
                notify(other, .shareObject, notice)
            }
        }
        return WireReply(ghid.bytes)
    }

    private func share(_ body: [UInt8], session id: Int) async throws(RemoteError) -> WireReply {
        guard let (ghid, recipient) = ShareNotice.parseRequest(body) else {
            throw RemoteError(IPCErrorCode.exception, "a share is ghid ‖ recipient")
        }
        guard let object = await network.object(ghid) else { throw RemoteError(IPCErrorCode.doesNotExist, "'\(ghid)'") }
        let token = sessions[id]?.token
        let destination = await network.daemon(for: recipient)
        let origin = fingerprint
        return WireReply([1]) { [self] in
            let delivered = await destination?.receiveShare(ghid, from: origin, apiID: object.apiID) ?? false
            await self.reportShare(ghid, recipient: recipient, delivered: delivered, token: token)
        }
    }

    private func reportShare(_ ghid: Ghid, recipient: Ghid, delivered: Bool, token: AppToken?) {
        guard let token, let holder = tokenHolders[token] else { return }
        notify(holder, delivered ? .shareSucceeded : .shareFailed, ShareNotice.result(ghid, recipient: recipient))
    }

    /// A share from another user: delivered to apps with the API id or tracking the object; dropped (as the
    /// original's orphan shares effectively are) when none is there.
    func receiveShare(_ ghid: Ghid, from origin: Ghid, apiID: ApiID) -> Bool {
        let targets = sessions.filter { $0.value.apis.contains(apiID) || $0.value.tracked.contains(ghid) }.keys
        for target in targets {
            notify(target, .shareObject, ShareNotice.incoming(ghid, from: origin, apiID: apiID))
        }
        return true
    }

    func distributeUpdate(_ ghid: Ghid, skipping skipped: Int?) async {
        guard let object = await network.objects[ghid] else { return }
        let definition = ObjectDefinition(
            address: ghid, author: object.author, isPrivate: false, isDynamic: object.isDynamic, apiID: object.apiID,
            state: object.state)
        for (id, session) in sessions where id != skipped && session.tracked.contains(ghid) {
            notify(id, .updateObject, definition.serialized())
        }
    }

    func distributeDeletion(_ ghid: Ghid, skipping skipped: Int?) {
        for (id, session) in sessions where id != skipped && session.tracked.contains(ghid) {
            sessions[id]?.tracked.remove(ghid)
            notify(id, .deleteObject, ghid.bytes)
        }
    }
}
