import Golix

/// What the echo demo's two sides do, for apps that narrate it.
public enum EchoEvent: Sendable, Hashable, CustomStringConvertible {
    /// The requester created its request object and shared it with the responder.
    case requestShared(request: Ghid, responder: Ghid)
    /// A request arrived at the responder.
    case requestReceived(request: Ghid, from: Ghid)
    /// The responder created a response and shared it with the requester.
    case responseShared(response: Ghid, request: Ghid, requester: Ghid)
    /// The requester received the response object.
    case responseReceived(response: Ghid, from: Ghid)
    /// The responder copied a request's new state into its response.
    case mirrored(request: Ghid, response: Ghid, bytes: Int)
    /// One timed round trip completed.
    case roundTrip(round: Int, time: Duration)
    /// A request was deleted, and the responder deleted its response.
    case requestDeleted(request: Ghid, response: Ghid?)
    /// Something failed on the responder side; the demo goes on.
    case failure(String)

    public var description: String {
        switch self {
        case .requestShared(let request, let responder):
            return "created request \(request.base64.prefix(8)) and shared it with \(responder.base64.prefix(8))"
        case .requestReceived(let request, let origin):
            return "received request \(request.base64.prefix(8)) from \(origin.base64.prefix(8))"
        case .responseShared(let response, let request, let requester):
            return "answered request \(request.base64.prefix(8)) with response \(response.base64.prefix(8)), shared with \(requester.base64.prefix(8))"
        case .responseReceived(let response, let origin):
            return "received response \(response.base64.prefix(8)) from \(origin.base64.prefix(8))"
        case .mirrored(let request, let response, let bytes):
            return "mirrored \(bytes) bytes from request \(request.base64.prefix(8)) into response \(response.base64.prefix(8))"
        case .roundTrip(let round, let time):
            return "round trip \(round): \(EchoDemo.milliseconds(time))"
        case .requestDeleted(let request, let response):
            return "request \(request.base64.prefix(8)) was deleted" + (response.map { "; deleted response \($0.base64.prefix(8))" } ?? "")
        case .failure(let what):
            return "failure: \(what)"
        }
    }
}
