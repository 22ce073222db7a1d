/// Limits and timings of one talker server.
public struct TalkerConfiguration: Sendable {
    /// Longest line a client may send, in bytes, not counting the CRLF. Longer lines are
    /// discarded with an error, and never buffered beyond this.
    public var maximumLineLength: Int = 2048

    /// Longest name `/name` accepts.
    public var maximumNameLength: Int = 24

    /// Bytes queued for one client before further lines to it are dropped (and it is told how
    /// many once it catches up). Keeps a slow client from costing the server unbounded memory.
    public var clientQueueLimit: Int = 64 << 10

    /// A client whose queue stays full this long is disconnected: it is stuck, not slow.
    public var stuckClientTimeout: Duration = .seconds(30)

    /// How long `/who` waits for the other servers.
    public var whoTimeout: Duration = .seconds(3)

    public init() {}
}
