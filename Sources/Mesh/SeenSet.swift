import NIOCore

/// The message ids a node has already handled, so that copies arriving round a loop are dropped.
///
/// Bounded twice: an id is forgotten after `lifetime`, and the oldest ids go first when more than
/// `capacity` are held. Ids are inserted in time order, so one FIFO serves both bounds and each
/// insertion costs amortised O(1).
struct SeenSet<Element: Hashable> {
    let capacity: Int
    let lifetime: Duration

    private var insertedAt: [Element: ContinuousClock.Instant] = [:]
    private var order = CircularBuffer<(element: Element, instant: ContinuousClock.Instant)>()
    /// Ids dropped to respect `capacity` before their lifetime ran out: a sign the set is too small.
    private(set) var evictedEarly = 0

    init(capacity: Int, lifetime: Duration) {
        self.capacity = max(1, capacity)
        self.lifetime = lifetime
    }

    var count: Int { insertedAt.count }

    func contains(_ element: Element) -> Bool {
        insertedAt[element] != nil
    }

    /// Records `element`; returns `false` if it was already there (a duplicate).
    mutating func insert(_ element: Element, now: ContinuousClock.Instant) -> Bool {
        expire(now: now)
        guard insertedAt[element] == nil else { return false }
        insertedAt[element] = now
        order.append((element, now))
        while order.count > capacity {
            let oldest = order.removeFirst()
            insertedAt[oldest.element] = nil
            evictedEarly += 1
        }
        return true
    }

    /// Forgets every id older than `lifetime`.
    mutating func expire(now: ContinuousClock.Instant) {
        while let oldest = order.first, oldest.instant.advanced(by: lifetime) <= now {
            order.removeFirst()
            insertedAt[oldest.element] = nil
        }
    }
}
