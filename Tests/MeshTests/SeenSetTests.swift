import Testing

@testable import Mesh

@Suite struct SeenSetTests {
    let start = ContinuousClock.now

    /// `#expect` cannot call mutating methods itself.
    func insert(_ seen: inout SeenSet<Int>, _ value: Int, now: ContinuousClock.Instant) -> Bool {
        seen.insert(value, now: now)
    }

    @Test func secondInsertIsADuplicate() {
        var seen = SeenSet<Int>(capacity: 10, lifetime: .seconds(60))
        #expect(insert(&seen, 1, now: start))
        #expect(!insert(&seen, 1, now: start + .seconds(1)))
        #expect(insert(&seen, 2, now: start + .seconds(1)))
        #expect(seen.count == 2)
    }

    @Test func idsExpireAfterTheirLifetime() {
        var seen = SeenSet<Int>(capacity: 10, lifetime: .seconds(60))
        #expect(insert(&seen, 1, now: start))
        #expect(insert(&seen, 2, now: start + .seconds(30)))
        seen.expire(now: start + .seconds(59))
        #expect(seen.contains(1))
        seen.expire(now: start + .seconds(60))
        #expect(!seen.contains(1))
        #expect(seen.contains(2))
        // An expired id is new again: this is the bound a loop must respect.
        #expect(insert(&seen, 1, now: start + .seconds(61)))
        #expect(seen.count == 2)
        seen.expire(now: start + .seconds(200))
        #expect(seen.count == 0)
    }

    @Test func capacityEvictsTheOldestFirst() {
        var seen = SeenSet<Int>(capacity: 3, lifetime: .seconds(60))
        for value in 1...5 {
            #expect(insert(&seen, value, now: start + .milliseconds(value)))
        }
        #expect(seen.count == 3)
        #expect(!seen.contains(1))
        #expect(!seen.contains(2))
        #expect(seen.contains(3) && seen.contains(5))
        #expect(seen.evictedEarly == 2)
    }
}
