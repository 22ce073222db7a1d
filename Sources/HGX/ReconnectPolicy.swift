/// How long a link waits between attempts to reach its daemon: exponential backoff from ``initialDelay``,
/// doubling per consecutive failure up to ``maximumDelay``, each wait shortened by up to a quarter at random
/// so that many apps do not retry in lockstep after a daemon restart.
///
/// The original client waited up to `2^n - 1` whole seconds (§1.1); a daemon on the same machine comes back
/// in well under a second, so the default retries much sooner.
public struct ReconnectPolicy: Hashable, Sendable {
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(initialDelay: Duration = .milliseconds(50), maximumDelay: Duration = .seconds(2)) {
        self.initialDelay = initialDelay
        self.maximumDelay = max(initialDelay, maximumDelay)
    }

    public static let `default` = ReconnectPolicy()

    /// The wait after `failures` consecutive failed attempts (1 or more).
    public func delay(afterFailures failures: Int) -> Duration {
        let doublings = min(max(failures - 1, 0), 30)
        let full = min(initialDelay * (1 << doublings), maximumDelay)
        return full * Double.random(in: 0.75...1)
    }
}
