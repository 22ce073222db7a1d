import Golix

/// A persistence provider's store: storage plus the rules, the doorman and an identity cache. The
/// server serves its clients from one; each daemon keeps its local cache in one.
///
/// All methods are synchronous and thread-safe. Writes serialise in the storage; callers on the Swift
/// concurrency pool should funnel writes through one actor so that at most one thread waits for the writer.
public final class Librarian: Sendable {
    public let storage: any ObjectStorage
    public let rules: PersistenceRules
    private let identities = IdentityCache()

    public init(storage: any ObjectStorage, rules: PersistenceRules = PersistenceRules()) {
        self.storage = storage
        self.rules = rules
    }

    /// Parses and authenticates an object without storing it.
    public func admit(_ bytes: [UInt8]) throws(PersistenceError) -> GolixObject {
        try Doorman(identity: identity).admit(bytes)
    }

    /// Stores an admitted object under the rules.
    public func ingest(_ object: GolixObject, bytes: [UInt8]) throws(PersistenceError) -> IngestOutcome {
        do {
            return try storage.write { store in try rules.ingest(object, bytes: bytes, in: store) }
        } catch let error as PersistenceError {
            throw error
        } catch {
            throw .storage("\(error)")
        }
    }

    /// Ingests several admitted objects in one transaction (group commit), in order; each is judged on its
    /// own, so a refused object does not affect the others. A storage failure fails them all.
    public func ingest(batch: [(object: GolixObject, bytes: [UInt8])]) -> [Result<IngestOutcome, PersistenceError>] {
        do {
            return try storage.write { store in
                batch.map { item in
                    Result { () throws(PersistenceError) -> IngestOutcome in
                        try rules.ingest(item.object, bytes: item.bytes, in: store)
                    }
                }
            }
        } catch {
            return batch.map { _ in .failure(.storage("\(error)")) }
        }
    }

    /// Admits and ingests: the whole of `PB`.
    public func publish(_ bytes: [UInt8]) throws(PersistenceError) -> (GolixObject, IngestOutcome) {
        let object = try admit(bytes)
        return (object, try ingest(object, bytes: bytes))
    }

    /// The known identity with this fingerprint.
    public func identity(_ ghid: Ghid) throws(PersistenceError) -> Identity? {
        if let cached = identities[ghid] { return cached }
        guard let bytes = try read({ store throws(StorageError) in try store.bytes(ghid) }),
            case .identity(let identity)? = try? GolixObject(parsing: bytes)
        else { return nil }
        identities.insert(identity)
        return identity
    }

    /// `GT`: the packed object; a dynamic ghid gives its current frame.
    public func retrieve(_ ghid: Ghid) throws(PersistenceError) -> [UInt8] {
        guard let bytes = try read({ store throws(StorageError) in try store.bytes(ghid) }) else {
            throw .doesNotExist(ghid)
        }
        return bytes
    }

    /// What is stored under `ghid` (a dynamic ghid gives its current frame), or nil.
    public func summary(_ ghid: Ghid) throws(PersistenceError) -> StoredObject? {
        try read { store throws(StorageError) in try store.object(ghid) }
    }

    /// `?E`.
    public func exists(_ ghid: Ghid) throws(PersistenceError) -> Bool {
        try summary(ghid) != nil
    }

    /// `?B`.
    public func bindings(of ghid: Ghid) throws(PersistenceError) -> [Ghid] {
        try read { store throws(StorageError) in try rules.bindings(of: ghid, in: store) }
    }

    /// `?D`.
    public func debindings(of ghid: Ghid) throws(PersistenceError) -> [Ghid] {
        try read { store throws(StorageError) in try rules.debindings(of: ghid, in: store) }
    }

    /// The stored requests for `recipient`, to re-push when it subscribes.
    public func requests(for recipient: Ghid) throws(PersistenceError) -> [Ghid] {
        try read { store throws(StorageError) in try rules.requests(for: recipient, in: store) }
    }

    private func read<T>(_ body: (any ObjectStore) throws(StorageError) -> T) throws(PersistenceError) -> T {
        do {
            return try storage.read { store in try body(store) }
        } catch let error as StorageError {
            throw PersistenceError(error)
        } catch {
            throw .storage("\(error)")
        }
    }
}
