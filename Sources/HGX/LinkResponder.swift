import Golix
import HypergolixWire
import Logging

/// Answers what the daemon sends an app (HYPERGOLIX-0.1-WIRE §3.2, daemon → app): updates, deletions,
/// incoming shares and share results.
///
/// Every answer is immediate: notifications are handed to objects and handlers without waiting for them, and
/// nothing here sends a request of its own, so a slow callback or a handler that talks to the daemon can
/// never hold up the connection (the original's deadlocks, §7.8).
struct LinkResponder: WireResponder {
    let registry: ObjectRegistry
    let shareHandlers: ShareHandlerTable
    let outcomes: AsyncStream<ShareOutcome>.Continuation
    let logger: Logger

    /// The daemon's notifications are applied in the order it sent them, or an older state could overwrite a
    /// newer one. Their handlers never wait on the daemon, so ordering them cannot stall the connection.
    static let isOrdered: @Sendable (RequestCode) -> Bool = { _ in true }

    func respond(to request: WireMessage, on connection: WireConnection) async throws(RemoteError) -> WireReply {
        switch request.code {
        case .updateObject:
            let definition = try ObjectDefinition(parsing: request.body)
            guard let ghid = definition.address else { throw RemoteError(IPCErrorCode.exception, "an update names no object") }
            guard !definition.isLink else { throw RemoteError(IPCErrorCode.exception, "linked objects are not supported") }
            if !registry.deliver(state: definition.state, for: ghid) {
                // Nothing here holds the object any more. The original would send `-O` from inside this handler
                // and deadlock; the update is simply dropped.
                logger.debug("update for \(ghid), which no object holds; ignored")
            }
            return .ok
        case .deleteObject:
            guard let ghid = Ghid(bytes: request.body) else { throw RemoteError(IPCErrorCode.exception, "a deletion names no object") }
            registry.deliverDeletion(of: ghid)
            return .ok
        case .shareObject:
            guard let (ghid, origin, apiID) = ShareNotice.parseIncoming(request.body) else {
                throw RemoteError(IPCErrorCode.exception, "an incoming share is ghid ‖ origin ‖ api_id (195 bytes), got \(request.body.count)")
            }
            shareHandlers.deliver(IncomingShare(ghid: ghid, origin: origin, apiID: apiID))
            return .ok
        case .shareSucceeded, .shareFailed:
            guard let (ghid, recipient) = ShareNotice.parseResult(request.body) else {
                throw RemoteError(IPCErrorCode.exception, "a share result is ghid ‖ recipient (130 bytes), got \(request.body.count)")
            }
            outcomes.yield(ShareOutcome(ghid: ghid, recipient: recipient, succeeded: request.code == .shareSucceeded))
            // The original client answers share results with an empty body.
            return WireReply([])
        default:
            throw connection.unknownRequest(request.code)
        }
    }
}
