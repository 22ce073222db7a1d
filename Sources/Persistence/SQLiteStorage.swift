import Foundation
import GRDB
import Golix

/// Durable storage in one SQLite database (WAL) through GRDB.
///
/// Every ingest is one transaction, so `kill -9` at any moment leaves either all of an object's effects or
/// none, and no half-written object is ever visible to readers (WAL readers see committed snapshots).
/// A dynamic binding's frame replacement is one row update inside that same transaction.
public final class SQLiteStorage: ObjectStorage {
    public let pool: DatabasePool

    /// Opens (creating if needed) the database at `path`, and migrates its schema.
    public init(path: String) throws {
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration)
            var migrator = DatabaseMigrator()
            Self.registerMigrations(in: &migrator)
            try migrator.migrate(pool)
        } catch {
            throw StorageError("cannot open \(path): \(error)")
        }
    }

    /// Object storage inside a database someone else opened and migrated (with ``registerMigrations(in:)``),
    /// so that they can keep their own tables beside the objects and write both in one transaction.
    public init(pool: DatabasePool) {
        self.pool = pool
    }

    /// WAL with NORMAL sync: durable against process crashes; FULL would only add power-loss safety for the
    /// last transactions at a large cost per commit.
    public static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// The object tables' schema.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1 objects") { db in
            try db.execute(sql: """
                CREATE TABLE object (
                    ghid BLOB NOT NULL PRIMARY KEY,
                    kind INTEGER NOT NULL,
                    signer BLOB,
                    target BLOB,
                    dynamic BLOB,
                    counter INTEGER,
                    bytes BLOB NOT NULL
                );
                CREATE INDEX object_by_target ON object(target, kind);
                CREATE UNIQUE INDEX object_by_dynamic ON object(dynamic) WHERE dynamic IS NOT NULL;
                CREATE TABLE deferred_delivery (
                    container BLOB NOT NULL,
                    dynamic BLOB NOT NULL,
                    PRIMARY KEY (container, dynamic)
                ) WITHOUT ROWID;
                """)
        }
    }

    public func write<T>(_ body: (any ObjectStore) throws -> T) throws -> T {
        try pool.write { db in try body(SQLiteObjectStore(db: db)) }
    }

    public func read<T>(_ body: (any ObjectStore) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteObjectStore(db: db)) }
    }
}

/// One transaction's view of the object tables.
public struct SQLiteObjectStore: ObjectStore {
    let db: Database

    public init(db: Database) {
        self.db = db
    }

    private static let columns = "ghid, kind, signer, target, dynamic, counter"

    public func object(_ ghid: Ghid) throws(StorageError) -> StoredObject? {
        try run {
            let key = Data(ghid.bytes)
            let byGhid = try db.cachedStatement(sql: "SELECT \(Self.columns) FROM object WHERE ghid = ?")
            if let row = try Row.fetchOne(byGhid, arguments: [key]) { return Self.record(row) }
            let byDynamic = try db.cachedStatement(sql: "SELECT \(Self.columns) FROM object WHERE dynamic = ?")
            return try Row.fetchOne(byDynamic, arguments: [key]).flatMap(Self.record)
        }
    }

    public func bytes(_ ghid: Ghid) throws(StorageError) -> [UInt8]? {
        try run {
            let key = Data(ghid.bytes)
            let statement = try db.cachedStatement(
                sql: "SELECT bytes FROM object WHERE ghid = ? UNION ALL SELECT bytes FROM object WHERE dynamic = ? LIMIT 1")
            return try Data.fetchOne(statement, arguments: [key, key]).map { [UInt8]($0) }
        }
    }

    public func objects(targeting ghid: Ghid, kind: StoredObject.Kind) throws(StorageError) -> [StoredObject] {
        try run {
            let statement = try db.cachedStatement(
                sql: "SELECT \(Self.columns) FROM object WHERE target = ? AND kind = ? ORDER BY ghid")
            return try Row.fetchAll(statement, arguments: [Data(ghid.bytes), Int(kind.rawValue)]).compactMap(Self.record)
        }
    }

    public func insert(_ object: StoredObject, bytes: [UInt8]) throws(StorageError) {
        try run {
            if let dynamic = object.dynamic {
                let replace = try db.cachedStatement(sql: "DELETE FROM object WHERE dynamic = ?")
                try replace.execute(arguments: [Data(dynamic.bytes)])
            }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO object (ghid, kind, signer, target, dynamic, counter, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            try insert.execute(arguments: [
                Data(object.ghid.bytes), Int(object.kind.rawValue), object.signer.map { Data($0.bytes) },
                object.target.map { Data($0.bytes) }, object.dynamic.map { Data($0.bytes) },
                object.counter.map { Int64(bitPattern: $0) }, Data(bytes),
            ])
        }
    }

    public func remove(_ ghid: Ghid) throws(StorageError) {
        try run {
            try db.cachedStatement(sql: "DELETE FROM object WHERE ghid = ?").execute(arguments: [Data(ghid.bytes)])
        }
    }

    public func deferDelivery(of dynamic: Ghid, until container: Ghid) throws(StorageError) {
        try run {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO deferred_delivery (container, dynamic) VALUES (?, ?)")
                .execute(arguments: [Data(container.bytes), Data(dynamic.bytes)])
        }
    }

    public func takeDeferredDeliveries(awaiting container: Ghid) throws(StorageError) -> [Ghid] {
        try run {
            let key = Data(container.bytes)
            let select = try db.cachedStatement(sql: "SELECT dynamic FROM deferred_delivery WHERE container = ? ORDER BY dynamic")
            let dynamics = try Data.fetchAll(select, arguments: [key]).compactMap { Ghid(bytes: $0) }
            try db.cachedStatement(sql: "DELETE FROM deferred_delivery WHERE container = ?").execute(arguments: [key])
            return dynamics
        }
    }

    private static func record(_ row: Row) -> StoredObject? {
        guard let ghid = ghid(row, "ghid"), let kindValue = row["kind"] as Int?,
            let kind = StoredObject.Kind(rawValue: UInt8(truncatingIfNeeded: kindValue))
        else { return nil }
        return StoredObject(
            ghid: ghid, kind: kind, signer: Self.ghid(row, "signer"), target: Self.ghid(row, "target"),
            dynamic: Self.ghid(row, "dynamic"), counter: (row["counter"] as Int64?).map { UInt64(bitPattern: $0) }
        )
    }

    private static func ghid(_ row: Row, _ column: String) -> Ghid? {
        (row[column] as Data?).flatMap { Ghid(bytes: $0) }
    }

    private func run<T>(_ body: () throws -> T) throws(StorageError) -> T {
        do {
            return try body()
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError("SQLite: \(error)")
        }
    }
}
