import Golix
import HypergolixWire
import Logging
import Persistence

/// Funnels every write through one actor: storage writes serialise anyway, and this way at most one
/// thread of the cooperative pool waits for the SQLite writer. Pushes are posted from here, in ingest order,
/// so subscribers see frames in the order they were accepted.
actor Ingestor {
    let librarian: Librarian
    let postOffice: PostOffice
    private let logger: Logger

    init(librarian: Librarian, postOffice: PostOffice, logger: Logger) {
        self.librarian = librarian
        self.postOffice = postOffice
        self.logger = logger
    }

    /// Ingests an admitted object and posts what it triggers, skipping the publisher.
    func ingest(_ object: GolixObject, bytes: [UInt8], from publisher: WireConnection?) async throws(PersistenceError) -> IngestOutcome {
        let outcome = try librarian.ingest(object, bytes: bytes)
        for notification in outcome.notifications {
            do {
                let pushed = try librarian.retrieve(notification.object)
                await postOffice.deliver(notification.subscription, object: pushed, skipping: publisher)
            } catch {
                logger.debug("nothing to push for \(notification.object): \(error)")
            }
        }
        return outcome
    }
}
