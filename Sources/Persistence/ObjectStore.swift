import Golix

/// The storage the persistence rules run over: one transaction's view of the objects.
///
/// Everything the rules engine does to one ingest happens through one `ObjectStore` inside one transaction,
/// so a crash leaves either all of it or none. Lookups by ghid resolve a dynamic ghid to its current frame,
/// as the original's librarian does.
public protocol ObjectStore {
    /// The object with this ghid, or the current frame of the dynamic binding with this ghid.
    func object(_ ghid: Ghid) throws(StorageError) -> StoredObject?
    /// The packed object (for a dynamic ghid, its current frame).
    func bytes(_ ghid: Ghid) throws(StorageError) -> [UInt8]?
    /// Objects of `kind` whose `target` is `ghid`: static bindings, current frames or debindings of it,
    /// or the requests addressed to it.
    func objects(targeting ghid: Ghid, kind: StoredObject.Kind) throws(StorageError) -> [StoredObject]

    /// Stores a new object; a new frame replaces its binding's previous frame.
    func insert(_ object: StoredObject, bytes: [UInt8]) throws(StorageError)
    /// Removes an object by its own ghid (a frame by its frame ghid).
    func remove(_ ghid: Ghid) throws(StorageError)

    /// Frames announced before their container arrived: delivered when `container` is ingested.
    func deferDelivery(of dynamic: Ghid, until container: Ghid) throws(StorageError)
    /// Returns and forgets the dynamic ghids waiting for `container`.
    func takeDeferredDeliveries(awaiting container: Ghid) throws(StorageError) -> [Ghid]
}

/// A place objects are kept: hands out transactions.
public protocol ObjectStorage: Sendable {
    /// Runs `body` in one read-write transaction, committed when it returns and rolled back when it throws.
    func write<T>(_ body: (any ObjectStore) throws -> T) throws -> T
    /// Runs `body` against a consistent snapshot.
    func read<T>(_ body: (any ObjectStore) throws -> T) throws -> T
}

/// The storage itself failed (disk full, corrupt database…); never the client's fault.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
