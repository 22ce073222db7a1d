import Golix

/// The recipient's daemon acknowledged (`^S`) or refused (`^F`) one of our shares.
///
/// The daemon reports these only to apps with an app token; a share without one succeeds or fails silently.
public struct ShareOutcome: Hashable, Sendable {
    public let ghid: Ghid
    public let recipient: Ghid
    public let succeeded: Bool

    public init(ghid: Ghid, recipient: Ghid, succeeded: Bool) {
        self.ghid = ghid
        self.recipient = recipient
        self.succeeded = succeeded
    }
}
