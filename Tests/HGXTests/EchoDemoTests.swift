import Foundation
import Golix
import HGXDemos
import Testing

@testable import HGX

/// The echo tutorial (seed 000) between two fake users.
@Suite struct EchoDemoTests {
    @Test func theResponderMirrorsEveryRoundAndCleansUp() async throws {
        try await FakeWorld.run { world in
            let requesterLink = try await world.link(world.alice)
            let responderLink = try await world.link(world.bob)
            let responderEvents = Recorder<EchoEvent>()
            let requesterEvents = Recorder<EchoEvent>()
            let responder = try await EchoDemo.startResponder(link: responderLink) { responderEvents.append($0) }
            let times = try await EchoDemo.runRequester(
                link: requesterLink, responder: responderLink.whoami, rounds: 5, timeout: .seconds(30)
            ) { requesterEvents.append($0) }
            #expect(times.count == 5)
            #expect(times.allSatisfy { $0 > .zero })

            let said = requesterEvents.all
            #expect(said.count == 8, "\(said)")
            guard case .requestShared(let request, let responderFingerprint) = said.first else {
                Issue.record("the requester began with \(String(describing: said.first))")
                return
            }
            #expect(responderFingerprint == responderLink.whoami)
            #expect(said.filter { if case .roundTrip = $0 { return true } else { return false } }.count == 5)
            guard case .requestDeleted(request, _) = said.last else {
                Issue.record("the requester ended with \(String(describing: said.last))")
                return
            }

            let answered = await responderEvents.wait(for: 8)
            #expect(answered.first == .requestReceived(request: request, from: requesterLink.whoami))
            guard case .responseShared(let response, request, requesterLink.whoami) = answered.dropFirst().first else {
                Issue.record("the responder did not share a response: \(answered)")
                return
            }
            #expect(answered.filter { if case .mirrored(request, response, _) = $0 { return true } else { return false } }.count == 5)
            #expect(answered.last == .requestDeleted(request: request, response: response))
            #expect(await responder.activeRequests == 0)
            await responder.stop()
            #expect(await world.bob.received(.deregisterAPI).map(\.body) == [EchoDemo.requestAPI.bytes])
        }
    }

    @Test func theRequesterGivesUpWhenNobodyAnswers() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.alice)
            await #expect(throws: TimeLimit.Exceeded.self) {
                _ = try await EchoDemo.runRequester(link: link, responder: world.bob.fingerprint, rounds: 1, timeout: .milliseconds(300))
            }
        }
    }

    @Test func runResponderEndsWhenCancelled() async throws {
        try await FakeWorld.run { world in
            let link = try await world.link(world.bob)
            let running = Task { try await EchoDemo.runResponder(link: link) }
            #expect(await eventually { await world.bob.received(.registerAPI).count == 1 })
            running.cancel()
            try await running.value
            #expect(await eventually { await world.bob.received(.deregisterAPI).count == 1 })
        }
    }

    @Test func mediansAndMilliseconds() {
        #expect(EchoDemo.median([]) == .zero)
        #expect(EchoDemo.median([.milliseconds(5)]) == .milliseconds(5))
        #expect(EchoDemo.median([.milliseconds(9), .milliseconds(1), .milliseconds(5)]) == .milliseconds(5))
        #expect(EchoDemo.median([.milliseconds(4), .milliseconds(1), .milliseconds(2), .milliseconds(3)]) == .microseconds(2500))
        #expect(EchoDemo.milliseconds(.microseconds(12_345)) == "12.345 ms")
        #expect(EchoDemo.milliseconds(.microseconds(7)) == "0.007 ms")
        #expect(EchoDemo.milliseconds(.seconds(2)) == "2000.000 ms")
    }
}
