import Golix
import HGX
import HypergolixWire

/// The "Hypergolix 101: dynamic echo server" tutorial (seed 000) as a library: a responder answers every
/// request object shared with it by sharing back a response object with the same state, then mirrors each
/// later update of the request into the response; a requester times how long an update takes to come back.
///
/// ```swift
/// let responder = try await EchoDemo.startResponder(link: bobLink)
/// let times = try await EchoDemo.runRequester(link: aliceLink, responder: bobLink.whoami, rounds: 10)
/// print("median", EchoDemo.median(times))
/// await responder.stop()
/// ```
public enum EchoDemo {
    /// The API id of request objects. The tutorial used `00…01` and `00…02`, which are also the defaults of
    /// `hgx.Obj` and `hgx.PickleObj`, so every raw object would look like a request; these are its own.
    public static let requestAPI = ApiID.named("hypergolix.demo.echo.request")
    /// The API id of response objects.
    public static let responseAPI = ApiID.named("hypergolix.demo.echo.response")

    /// Starts answering requests on `link` and returns the running responder.
    public static func startResponder(
        link: HGXLink,
        requestAPI: ApiID = requestAPI,
        responseAPI: ApiID = responseAPI,
        onEvent: @escaping @Sendable (EchoEvent) -> Void = { _ in }
    ) async throws -> EchoResponder {
        let responder = EchoResponder(link: link, requestAPI: requestAPI, responseAPI: responseAPI, onEvent: onEvent)
        try await responder.start()
        return responder
    }

    /// Answers requests on `link` until the calling task is cancelled.
    public static func runResponder(
        link: HGXLink,
        requestAPI: ApiID = requestAPI,
        responseAPI: ApiID = responseAPI,
        onEvent: @escaping @Sendable (EchoEvent) -> Void = { _ in }
    ) async throws {
        let responder = try await startResponder(link: link, requestAPI: requestAPI, responseAPI: responseAPI, onEvent: onEvent)
        await withTaskCancellationHandler {
            await responder.waitUntilStopped()
        } onCancel: {
            Task { await responder.stop() }
        }
    }

    /// Shares one request with `responder` (a fingerprint), waits for its response, then updates the
    /// request `rounds` times, each time waiting until the response mirrors the new state. Returns each
    /// round trip, from the start of the push to the mirrored update's arrival. Deletes the request at the
    /// end (the responder then deletes its response).
    ///
    /// - Parameter timeout: how long to wait for the response and for each round trip.
    public static func runRequester(
        link: HGXLink,
        responder: Ghid,
        rounds: Int,
        requestAPI: ApiID = requestAPI,
        responseAPI: ApiID = responseAPI,
        timeout: Duration = .seconds(60),
        onEvent: @escaping @Sendable (EchoEvent) -> Void = { _ in }
    ) async throws -> [Duration] {
        let requester = EchoRequester(
            link: link, responder: responder, requestAPI: requestAPI, responseAPI: responseAPI, timeout: timeout,
            onEvent: onEvent)
        return try await requester.run(rounds: rounds)
    }

    /// The median of `times` (the mean of the middle two for an even count); zero for none.
    public static func median(_ times: [Duration]) -> Duration {
        let sorted = times.sorted()
        guard !sorted.isEmpty else { return .zero }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `duration` in milliseconds with three decimals, e.g. `12.345 ms`.
    public static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let sign = micros < 0 ? "-" : ""
        let magnitude = abs(micros)
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) ms"
    }
}
