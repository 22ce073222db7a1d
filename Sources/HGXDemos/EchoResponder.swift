import Golix
import HGX
import HypergolixWire

/// The echo tutorial's responder: for each request object shared with it, shares back a response object
/// with the same state, mirrors every later update of the request into the response, and deletes the
/// response when the request is deleted.
public actor EchoResponder {
    public nonisolated let link: HGXLink
    public nonisolated let requestAPI: ApiID
    public nonisolated let responseAPI: ApiID
    private let onEvent: @Sendable (EchoEvent) -> Void
    private var answered: [Ghid: (request: HGXRawObject, response: HGXRawObject)] = [:]
    private var isStopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    init(link: HGXLink, requestAPI: ApiID, responseAPI: ApiID, onEvent: @escaping @Sendable (EchoEvent) -> Void) {
        self.link = link
        self.requestAPI = requestAPI
        self.responseAPI = responseAPI
        self.onEvent = onEvent
    }

    /// How many requests it is answering now.
    public var activeRequests: Int { answered.count }

    func start() async throws {
        try await link.registerShareHandler(for: requestAPI) { [weak self] share in
            await self?.answer(share)
        }
    }

    /// Stops answering: deregisters the handler; responses already made stay.
    public func stop() async {
        guard !isStopped else { return }
        isStopped = true
        try? await link.deregisterShareHandler(for: requestAPI)
        for pair in answered.values { pair.request.callback = nil }
        answered.removeAll()
        let waiting = stopWaiters
        stopWaiters.removeAll()
        for waiter in waiting { waiter.resume() }
    }

    func waitUntilStopped() async {
        guard !isStopped else { return }
        await withCheckedContinuation { stopWaiters.append($0) }
    }

    private func answer(_ share: IncomingShare) async {
        guard !isStopped, answered[share.ghid] == nil else { return }
        do {
            let request = try await link.get(RawCodec.self, share.ghid)
            onEvent(.requestReceived(request: request.ghid, from: share.origin))
            let response = try await link.new(RawCodec.self, state: request.state, apiID: responseAPI)
            answered[request.ghid] = (request, response)
            request.callback = { [weak self] request in await self?.mirror(request) }
            // The tutorial answers the request's author; for a share from another user that is its origin.
            let requester = request.binder ?? share.origin
            try await response.share(with: requester)
            onEvent(.responseShared(response: response.ghid, request: request.ghid, requester: requester))
            // An update that arrived before the callback was set has been applied to the request already.
            await mirror(request)
        } catch {
            onEvent(.failure("answering \(share.ghid.base64.prefix(8)): \(error)"))
        }
    }

    private func mirror(_ request: HGXRawObject) async {
        guard let pair = answered[request.ghid] else { return }
        if request.isDeleted {
            answered[request.ghid] = nil
            do {
                try await pair.response.delete()
                onEvent(.requestDeleted(request: request.ghid, response: pair.response.ghid))
            } catch {
                onEvent(.failure("deleting response \(pair.response.ghid.base64.prefix(8)): \(error)"))
            }
            return
        }
        let state = request.state
        guard state != pair.response.state else { return }
        do {
            try await pair.response.push(state)
            onEvent(.mirrored(request: request.ghid, response: pair.response.ghid, bytes: state.count))
        } catch {
            onEvent(.failure("mirroring into \(pair.response.ghid.base64.prefix(8)): \(error)"))
        }
    }
}
