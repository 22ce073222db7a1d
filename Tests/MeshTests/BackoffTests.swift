import Testing

@testable import Mesh

@Suite struct BackoffTests {
    @Test func delaysDoubleUpToTheCapWithJitter() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(500))
        var random = SystemRandomNumberGenerator()
        let bases: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)]
        for base in bases {
            let delay = backoff.nextDelay(using: &random)
            #expect(delay <= base)
            #expect(delay >= base * 0.8)
        }
        backoff.reset()
        #expect(backoff.nextDelay(using: &random) <= .milliseconds(100))
    }
}
