import Golix
import HypergolixWire
import Logging
import Persistence

/// Funnels every write through one actor and commits them in groups: whatever arrived while the previous
/// transaction ran goes into the next one, so the cost of a commit is shared by concurrent publishers and
/// at most one thread waits for the SQLite writer. Pushes are posted from here, in ingest order, so
/// subscribers see frames in the order they were accepted.
actor Ingestor {
    let librarian: Librarian
    let postOffice: PostOffice
    private let logger: Logger

    private struct Pending {
        let object: GolixObject
        let bytes: [UInt8]
        let publisher: WireConnection?
        let continuation: CheckedContinuation<Result<IngestOutcome, PersistenceError>, Never>
    }

    private var queue: [Pending] = []
    private var draining = false

    init(librarian: Librarian, postOffice: PostOffice, logger: Logger) {
        self.librarian = librarian
        self.postOffice = postOffice
        self.logger = logger
    }

    /// Ingests an admitted object and posts what it triggers, skipping the publisher.
    func ingest(_ object: GolixObject, bytes: [UInt8], from publisher: WireConnection?) async throws(PersistenceError) -> IngestOutcome {
        let result = await withCheckedContinuation { continuation in
            queue.append(Pending(object: object, bytes: bytes, publisher: publisher, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
        return try result.get()
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = queue
            queue = []
            let results = librarian.ingest(batch: batch.map { ($0.object, $0.bytes) })
            for (pending, result) in zip(batch, results) {
                if case .success(let outcome) = result {
                    await post(outcome, skipping: pending.publisher)
                }
                pending.continuation.resume(returning: result)
            }
        }
        draining = false
    }

    private func post(_ outcome: IngestOutcome, skipping publisher: WireConnection?) async {
        for notification in outcome.notifications {
            do {
                let pushed = try librarian.retrieve(notification.object)
                await postOffice.deliver(notification.subscription, object: pushed, skipping: publisher)
            } catch {
                logger.debug("nothing to push for \(notification.object): \(error)")
            }
        }
    }
}
