import Golix

/// What ingesting one object did.
public struct IngestOutcome: Sendable, Hashable {
    /// False when the object was already stored: nothing else happened.
    public var isNew: Bool
    /// Pushes to schedule: each goes to every connection subscribed to `subscription`.
    public var notifications: [Notification]
    /// Objects garbage-collected as a consequence (their own ghids; frames by frame ghid).
    public var removed: [StoredObject]

    public init(isNew: Bool, notifications: [Notification] = [], removed: [StoredObject] = []) {
        self.isNew = isNew
        self.notifications = notifications
        self.removed = removed
    }
}

/// A subscription update: push the object `object` to the subscribers of `subscription`.
public struct Notification: Sendable, Hashable {
    /// A dynamic ghid (for new frames and their removal) or an identity's fingerprint (for requests).
    public let subscription: Ghid
    /// The object whose bytes are pushed: a frame, a request, or the debinding that removed either.
    public let object: Ghid

    public init(subscription: Ghid, object: Ghid) {
        self.subscription = subscription
        self.object = object
    }
}
