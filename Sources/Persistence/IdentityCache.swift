import Foundation
import Golix

/// Parsed identities by fingerprint. Identities never change and decoding one (RSA moduli especially) costs
/// more than verifying with it, so verification looks here first. Bounded, because anyone can publish
/// identities.
final class IdentityCache: @unchecked Sendable {
    // `entries` is only touched while `lock` is held.
    private let lock = NSLock()
    private var entries: [Ghid: Identity] = [:]
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    subscript(ghid: Ghid) -> Identity? {
        lock.withLock { entries[ghid] }
    }

    func insert(_ identity: Identity) {
        lock.withLock {
            // Dropping an arbitrary entry is enough: a miss costs one read and one parse.
            if entries.count >= capacity, let victim = entries.keys.first { entries[victim] = nil }
            entries[identity.ghid] = identity
        }
    }
}
