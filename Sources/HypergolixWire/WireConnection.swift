import Logging

/// What carries a connection's messages: a WebSocket in practice, a pair of queues in tests.
public protocol WireTransport: Sendable {
    /// Sends one message; throws once the transport is closed.
    func send(_ message: [UInt8]) async throws
    /// Closes the transport; inbound messages stop.
    func close() async
}

/// Answers the requests a peer sends on a connection.
public protocol WireResponder: Sendable {
    /// Returns the `AK` body (and anything to do once it is sent), or throws the `NK` to send. Handlers run
    /// concurrently, so one that waits on the peer holds up nothing else.
    func respond(to request: WireMessage, on connection: WireConnection) async throws(RemoteError) -> WireReply
}

/// A successful answer: the `AK` body, and work to start once it has been sent.
public struct WireReply: Sendable {
    public var body: [UInt8]
    /// Runs after the `AK` went out: for pushes that must not overtake the answer.
    public var afterwards: (@Sendable () async -> Void)?

    public init(_ body: [UInt8], afterwards: (@Sendable () async -> Void)? = nil) {
        self.body = body
        self.afterwards = afterwards
    }

    /// The single byte 01 most requests answer with.
    public static let ok = WireReply([1])
}

/// Matches requests and responses on one connection and runs the peer's requests (HYPERGOLIX-0.1-WIRE §1.3).
///
/// Unlike the original, which handled one message at a time and deadlocked when a handler waited on the
/// peer (§7.8–9), the reader never waits for a handler: responses are matched as they arrive and each
/// request runs in its own task. Requests whose codes `isOrdered` names run one after another in arrival
/// order, and every later request waits for them to finish — so a peer that pipelines a binding and its
/// container, or a publish and a get, sees them applied in the order it sent them. Every request is
/// answered exactly once, with its own token.
public actor WireConnection {
    public nonisolated let transport: any WireTransport
    private let responder: any WireResponder
    private let isOrdered: @Sendable (RequestCode) -> Bool
    /// The `NK` code for a request code nobody handles (the tables differ between protocols).
    private let unknownRequestCode: UInt16
    private let logger: Logger

    /// A request's slot: its response may arrive before the requester starts waiting for it.
    private enum Waiter {
        case sending
        case answered(Result<[UInt8], any Error>)
        case waiting(CheckedContinuation<[UInt8], any Error>)
        /// A notification: its answer is dropped when it comes, or forgotten after the deadline.
        case discarded(ContinuousClock.Instant)
    }

    /// How long a notification's answer is waited for before its token is reused.
    public static let notificationLifetime: Duration = .seconds(30)
    private var discardedCount = 0

    private var pending: [UInt16: Waiter] = [:]
    /// The last ordered request's task: later requests start after it.
    private var barrier: Task<Void, Never>?
    private var inFlight = 0
    private var isClosed = false
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var generator = SystemRandomNumberGenerator()
    /// Requests from the peer being handled at once; beyond this they are refused rather than queued.
    public static let maximumRequestsInFlight = 4096

    public init(
        transport: any WireTransport,
        responder: any WireResponder,
        unknownRequestCode: UInt16,
        logger: Logger = Logger(label: "hypergolix.wire"),
        isOrdered: @escaping @Sendable (RequestCode) -> Bool = { _ in false }
    ) {
        self.transport = transport
        self.responder = responder
        self.unknownRequestCode = unknownRequestCode
        self.logger = logger
        self.isOrdered = isOrdered
    }

    public var closed: Bool { isClosed }

    // MARK: - Outbound requests

    /// Sends a request and waits for its `AK` body; an `NK` throws ``WireError/remote(_:)``.
    ///
    /// Requests are sent in the order this method is called.
    public func request(_ code: RequestCode, _ body: [UInt8] = [], timeout: Duration? = nil) async throws(WireError) -> [UInt8] {
        let token = try await send(code, body)
        return try await response(to: token, timeout: timeout)
    }

    /// Sends a request without waiting for its answer; collect that with ``response(to:timeout:)``
    /// (exactly once). Lets a caller keep several requests in order on the wire without waiting in between.
    public func send(_ code: RequestCode, _ body: [UInt8] = []) async throws(WireError) -> UInt16 {
        guard !isClosed else { throw .connectionClosed }
        guard pending.count < Int(UInt16.max) else { throw .tooManyPendingRequests }
        var token = UInt16.random(in: .min ... .max, using: &generator)
        while pending[token] != nil { token = UInt16.random(in: .min ... .max, using: &generator) }
        pending[token] = .sending
        do {
            try await transport.send(WireMessage(code: code, token: token, body: body).serialized())
        } catch {
            pending[token] = nil
            throw .connectionClosed
        }
        return token
    }

    /// Sends a request whose answer does not matter (a push): no task waits for it, and a refusal is only
    /// logged. Notifications go out in call order, like requests.
    public func notify(_ code: RequestCode, _ body: [UInt8]) async throws(WireError) {
        if discardedCount > 1024 { sweepDiscarded() }
        let token = try await send(code, body)
        if case .answered(let result) = pending[token] {
            pending[token] = nil
            if case .failure(let error) = result { logger.debug("\(code) refused: \(error)") }
        } else if pending[token] != nil {
            pending[token] = .discarded(.now + Self.notificationLifetime)
            discardedCount += 1
        }
    }

    private func sweepDiscarded() {
        let now = ContinuousClock.now
        for (token, waiter) in pending {
            if case .discarded(let deadline) = waiter, deadline < now {
                pending[token] = nil
                discardedCount -= 1
            }
        }
    }

    /// Waits for the answer to a request made with ``send(_:_:)``.
    public func response(to token: UInt16, timeout: Duration? = nil) async throws(WireError) -> [UInt8] {
        let timeoutTask: Task<Void, Never>?
        if let timeout {
            timeoutTask = Task { [weak self, token] in
                try? await Task.sleep(for: timeout)
                await self?.timeOut(token)
            }
        } else {
            timeoutTask = nil
        }
        defer { timeoutTask?.cancel() }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                switch pending[token] {
                case .answered(let result):
                    pending[token] = nil
                    continuation.resume(with: result)
                case .sending:
                    pending[token] = .waiting(continuation)
                case .waiting, .discarded, nil:
                    continuation.resume(throwing: WireError.connectionClosed)
                }
            }
        } catch let error as WireError {
            throw error
        } catch let error as RemoteError {
            throw .remote(error)
        } catch {
            throw .connectionClosed
        }
    }

    private func timeOut(_ token: UInt16) {
        settle(token, .failure(WireError.timedOut))
    }

    /// Delivers a request's outcome, whether or not its requester is waiting yet.
    private func settle(_ token: UInt16, _ result: Result<[UInt8], any Error>) {
        switch pending[token] {
        case .waiting(let continuation):
            pending[token] = nil
            continuation.resume(with: result)
        case .sending:
            pending[token] = .answered(result)
        case .discarded:
            pending[token] = nil
            discardedCount -= 1
            if case .failure(let error) = result { logger.debug("a notification was refused: \(error)") }
        case .answered, nil:
            logger.debug("dropping a response to unknown token \(token)")
        }
    }

    // MARK: - Inbound

    /// Reads `messages` until they end or one is malformed, then closes the connection.
    public func run<Messages: AsyncSequence>(_ messages: Messages) async where Messages.Element == [UInt8] {
        do {
            for try await message in messages {
                guard !isClosed else { break }
                do {
                    try receive(message)
                } catch {
                    logger.warning("closing connection: \(error)")
                    break
                }
            }
        } catch {
            logger.debug("connection ended: \(error)")
        }
        await close()
    }

    /// Handles one inbound message. A malformed one throws: the caller should close the connection, as a
    /// wrong version means the peer speaks something else.
    public func receive(_ bytes: [UInt8]) throws(WireError) {
        guard bytes.count <= WireMessage.maximumLength else { throw .messageTooLarge(bytes.count) }
        let message = try WireMessage(parsing: bytes)
        if message.code == .ack {
            settle(message.token, .success(message.body))
        } else if message.code == .nak {
            settle(message.token, .failure(RemoteError(parsing: message.body)))
        } else if inFlight >= Self.maximumRequestsInFlight {
            let busy = RemoteError(code: 0, message: "too many requests in flight")
            let refusal = WireMessage(code: .nak, token: message.token, body: busy.serialized()).serialized()
            Task { try? await transport.send(refusal) }
        } else {
            dispatch(message)
        }
    }

    private func dispatch(_ message: WireMessage) {
        let previous = barrier
        let ordered = isOrdered(message.code)
        inFlight += 1
        let task = Task {
            await previous?.value
            let response: WireMessage
            var afterwards: (@Sendable () async -> Void)?
            do throws(RemoteError) {
                let reply = try await responder.respond(to: message, on: self)
                response = WireMessage(code: .ack, token: message.token, body: reply.body)
                afterwards = reply.afterwards
            } catch {
                response = WireMessage(code: .nak, token: message.token, body: error.serialized())
            }
            await self.finish(response)
            await afterwards?()
        }
        if ordered { barrier = task }
    }

    private func finish(_ response: WireMessage) async {
        inFlight -= 1
        guard !isClosed else { return }
        do {
            try await transport.send(response.serialized())
        } catch {
            logger.debug("could not answer \(response.token): \(error)")
        }
    }

    /// Fails every pending request and closes the transport.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        let waiting = pending
        pending.removeAll()
        for case .waiting(let continuation) in waiting.values { continuation.resume(throwing: WireError.connectionClosed) }
        let closeWaiters = closeWaiters
        self.closeWaiters = []
        for waiter in closeWaiters { waiter.resume() }
        await transport.close()
    }

    /// Returns once the connection is closed, by either side.
    public func waitUntilClosed() async {
        guard !isClosed else { return }
        await withCheckedContinuation { closeWaiters.append($0) }
    }

    /// For a responder that cannot handle a code.
    public nonisolated func unknownRequest(_ code: RequestCode) -> RemoteError {
        RemoteError(code: unknownRequestCode, message: "unknown request code \(code)")
    }

    /// Requests being handled now (for tests and metrics).
    public var requestsInFlight: Int { inFlight }
}
