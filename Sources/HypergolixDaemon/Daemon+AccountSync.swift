import Golix
import HypergolixWire
import Persistence

/// Several devices of one account share its root object. Every device merges what the others publish, and
/// the one whose root frame loses a race (`00 09`) merges the winner's document before publishing again, so
/// no device's tokens, secrets or objects drop out of the account. Pending shares stay with the device that
/// holds them (a fresh machine's login still restores them all).
extension Daemon {
    /// Takes in a root frame another device published (already ingested here) and its container: reads the
    /// document, adds everything in it to this device's state, and publishes the union if this device knew more.
    func adoptAccountFrame(_ frame: DynamicBinding, container bytes: [UInt8], from link: RemoteLink) async throws {
        guard case (.container(let container), _) = try await ingest(bytes, from: link) else {
            throw DaemonError.account("the account root's target is not a container")
        }
        let document = try AccountRoot.read(frame: frame, container: container, root: rootSecret, fingerprint: fingerprint)
        let (knewMore, newlyFollowed) = try store.write { tx -> (Bool, [Ghid]) in
            let followed = Set(try tx.followed())
            try AccountLoader.restore(document, into: tx, vault: book.vault, pendingShares: false)
            var merged = try AccountLoader.snapshot(tx, identity: identity, vault: book.vault)
            var received = document
            for pending in [\AccountDocument.incomingShares, \.outgoingShares] {
                merged[keyPath: pending] = []
                received[keyPath: pending] = []
            }
            return (merged != received, document.followed.filter { !followed.contains($0) })
        }
        for ghid in newlyFollowed { await follow(ghid) }
        // Publishing only when the union is larger keeps two devices from answering each other for ever.
        if knewMore { accountChanged() }
        logger.info("merged the account state another device published (frame \(frame.counter))")
    }

    /// Our root frame lost a race with another device's: drop ours, take theirs, merge, publish on top.
    func resolveAccountConflict(_ refused: DynamicBinding) async {
        logger.notice("account frame \(refused.counter) lost a race with another device; merging")
        do {
            guard let winner = try await winningFrame(over: refused) else {
                logger.warning("no remote has the frame that won the race for the account root; retrying on the next change")
                return
            }
            try book.discardFrame(refused)
            guard case (.dynamicBinding(let frame), _) = try await ingest(winner.frame, from: winner.link) else { return }
            try await adoptAccountFrame(frame, container: winner.container, from: winner.link)
            // Our lost frame carried changes the winner may lack; the merged snapshot has them all.
            accountChanged()
        } catch {
            logger.error("could not merge the account after a conflict: \(error)")
        }
    }
}
