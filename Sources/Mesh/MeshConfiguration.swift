/// The limits and timings of one ``MeshNode``. The defaults suit a small mesh on a LAN.
public struct MeshConfiguration: Sendable {
    /// Largest frame body accepted or sent, in bytes. A peer that announces a larger frame is
    /// speaking garbage or is hostile, and its link is dropped before the bytes are buffered.
    public var maximumFrameSize: Int = 1 << 20

    /// A flood is not forwarded once it has crossed this many links: a backstop in case a loop
    /// outlives the seen-set, never reached in a mesh smaller than this.
    public var maximumHops: Int = 64

    /// How many message ids the seen-set holds at most, and how long it remembers each. A loop
    /// must bring a duplicate back within both bounds for it to be suppressed.
    public var seenSetCapacity: Int = 1 << 16
    public var seenSetLifetime: Duration = .seconds(60)

    /// Time a new link has to present its `I-AM`.
    public var handshakeTimeout: Duration = .seconds(5)

    /// Time a `connect` waits for the TCP connection itself.
    public var connectTimeout: Duration = .seconds(5)

    /// Reconnect delays for links this node dialled: doubling from the first to the last, with
    /// up to 20 % random jitter so that a restarted hub is not hit by all its peers at once.
    public var reconnectInitialDelay: Duration = .milliseconds(100)
    public var reconnectMaximumDelay: Duration = .seconds(5)

    /// Bytes queued for one peer that has stopped reading before the link is dropped. Flooding
    /// must never wait on one slow peer, so the queue is bounded and the link sacrificed.
    public var maximumPendingBytesPerLink: Int = 16 << 20

    /// How long the topology of a node that became unreachable is remembered, so that a short
    /// partition heals without re-learning it.
    public var unreachableRetention: Duration = .seconds(600)

    /// Most nodes whose peer sets are remembered. Beyond it, unreachable nodes are forgotten
    /// early and unknown ones ignored, so a peer that invents ids cannot exhaust memory.
    public var maximumKnownNodes: Int = 4096

    public init() {}
}
