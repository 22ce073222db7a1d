import Golix
import HGX
import HypergolixWire

/// The echo tutorial's requester: one request object, timed updates, and the response that mirrors them.
struct EchoRequester {
    let link: HGXLink
    let responder: Ghid
    let requestAPI: ApiID
    let responseAPI: ApiID
    let timeout: Duration
    let onEvent: @Sendable (EchoEvent) -> Void

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func run(rounds: Int) async throws -> [Duration] {
        // Registered before the request exists: a share that arrives with no handler is not delivered later.
        let responses = try await link.shares(for: responseAPI)
        let nonce = (0..<8).map { _ in UInt8.random(in: .min ... .max) }.hexString
        let greeting = Array("hello \(nonce)".utf8)
        let request = try await link.new(RawCodec.self, state: greeting, apiID: requestAPI)
        try await request.share(with: responder)
        onEvent(.requestShared(request: request.ghid, responder: responder))

        let link = self.link
        let responder = self.responder
        // Other requests' responses may arrive on the same API id; ours starts with our greeting.
        let response = try await TimeLimit.run(timeout, waitingFor: "the responder's response") {
            for await share in responses where share.origin == responder {
                let candidate = try await link.get(RawCodec.self, share.ghid)
                if candidate.state == greeting { return candidate }
            }
            throw Failure(description: "the link stopped before the response arrived")
        }
        onEvent(.responseReceived(response: response.ghid, from: responder))

        var times: [Duration] = []
        for round in stride(from: 1, through: rounds, by: 1) {
            let payload = Array("round \(round) \(nonce)".utf8)
            let echoes = response.updates
            let clock = ContinuousClock()
            let start = clock.now
            try await request.push(payload)
            try await TimeLimit.run(timeout, waitingFor: "the echo of round \(round)") {
                for await event in echoes {
                    if case .updated(let state) = event, state == payload { return }
                    if case .deleted = event { break }
                }
                throw Failure(description: "the response ended before round \(round) came back")
            }
            let time = clock.now - start
            times.append(time)
            onEvent(.roundTrip(round: round, time: time))
        }

        let ending = response.updates
        try await request.delete()
        do {
            try await TimeLimit.run(timeout, waitingFor: "the response's deletion") {
                for await event in ending where event == .deleted { return }
            }
            onEvent(.requestDeleted(request: request.ghid, response: response.ghid))
        } catch {
            onEvent(.failure("the responder did not delete its response: \(error)"))
        }
        return times
    }
}
