/// Delays between reconnect attempts: doubling, capped, jittered.
struct Backoff {
    let initial: Duration
    let maximum: Duration
    private(set) var next: Duration

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        self.next = initial
    }

    /// The delay to wait now; the one after it is twice as long, up to `maximum`.
    mutating func nextDelay<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Duration {
        let base = next
        next = min(next * 2, maximum)
        // Up to 20 % shorter: peers of a restarted node spread their reconnects out.
        let jitter = Double.random(in: 0.8...1.0, using: &generator)
        return base * jitter
    }

    mutating func reset() {
        next = initial
    }
}
