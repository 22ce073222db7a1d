import Foundation
import GRDB
import Golix
import HypergolixWire
import Persistence

/// The daemon's durable state in one SQLite database: every Golix object it holds (the persistence
/// tables, under the same rules as a server) and its own tables — sealed secrets, app tokens, startup and
/// private objects, shares in flight, and the upload queue. One transaction covers an object and its
/// bookkeeping, so `kill -9` at any moment leaves a consistent store.
final class LocalStore: Sendable {
    let pool: DatabasePool
    let librarian: Librarian

    static let fileName = "hypergolix.sqlite"

    init(path: String) throws {
        do {
            pool = try DatabasePool(path: path, configuration: SQLiteStorage.configuration)
            var migrator = DatabaseMigrator()
            SQLiteStorage.registerMigrations(in: &migrator)
            Self.registerMigrations(in: &migrator)
            try migrator.migrate(pool)
        } catch {
            throw DaemonError.internalFailure("cannot open the local store \(path): \(error)")
        }
        librarian = Librarian(storage: SQLiteStorage(pool: pool))
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1 daemon") { db in
            try db.execute(sql: """
                CREATE TABLE secret (container BLOB NOT NULL PRIMARY KEY, sealed BLOB NOT NULL);
                CREATE TABLE own_object (ghid BLOB NOT NULL PRIMARY KEY, dynamic INTEGER NOT NULL, legroom INTEGER NOT NULL);
                CREATE TABLE followed (ghid BLOB NOT NULL PRIMARY KEY);
                CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, remote TEXT NOT NULL, bytes BLOB NOT NULL);
                CREATE INDEX outbox_by_remote ON outbox(remote, seq);
                CREATE TABLE app_token (token BLOB NOT NULL PRIMARY KEY);
                CREATE TABLE startup_object (token BLOB NOT NULL PRIMARY KEY, ghid BLOB NOT NULL);
                CREATE TABLE private_object (ghid BLOB NOT NULL PRIMARY KEY, token BLOB NOT NULL);
                CREATE TABLE outgoing_share (
                    request BLOB NOT NULL PRIMARY KEY, ghid BLOB NOT NULL, recipient BLOB NOT NULL, token BLOB
                );
                CREATE TABLE incoming_share (
                    ghid BLOB NOT NULL, origin BLOB NOT NULL, api_id BLOB NOT NULL, PRIMARY KEY (ghid, origin)
                );
                CREATE TABLE setting (key TEXT NOT NULL PRIMARY KEY, value BLOB NOT NULL);
                """)
        }
    }

    func write<T>(_ body: (LocalTransaction) throws -> T) throws -> T {
        try pool.write { db in try body(LocalTransaction(db: db)) }
    }

    func read<T>(_ body: (LocalTransaction) throws -> T) throws -> T {
        try pool.read { db in try body(LocalTransaction(db: db)) }
    }
}

/// One transaction on the daemon's tables, with the object tables alongside (`objects`).
struct LocalTransaction {
    let db: Database

    var objects: SQLiteObjectStore { SQLiteObjectStore(db: db) }

    // MARK: Secrets

    func secret(for container: Ghid, vault: SecretVault) throws -> Secret? {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM secret WHERE container = ?", arguments: [key(container)])
        else { return nil }
        return try vault.open(sealed, for: container)
    }

    func setSecret(_ secret: Secret, for container: Ghid, vault: SecretVault) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO secret (container, sealed) VALUES (?, ?)",
                       arguments: [key(container), try vault.seal(secret, for: container)])
    }

    func removeSecret(for container: Ghid) throws {
        try db.execute(sql: "DELETE FROM secret WHERE container = ?", arguments: [key(container)])
    }

    func allSecrets(vault: SecretVault) throws -> [(Ghid, Secret)] {
        try Row.fetchAll(db, sql: "SELECT container, sealed FROM secret ORDER BY container").compactMap { row in
            guard let container = decodeGhid(row["container"]), let sealed = row["sealed"] as Data? else { return nil }
            return (container, try vault.open(sealed, for: container))
        }
    }

    // MARK: Own objects

    /// Our objects and their legroom (nil if not ours).
    func ownObject(_ ghid: Ghid) throws -> (dynamic: Bool, legroom: Int)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT dynamic, legroom FROM own_object WHERE ghid = ?", arguments: [key(ghid)])
        else { return nil }
        return ((row["dynamic"] as Int? ?? 0) != 0, row["legroom"] as Int? ?? 7)
    }

    func setOwnObject(_ ghid: Ghid, dynamic: Bool, legroom: Int) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO own_object (ghid, dynamic, legroom) VALUES (?, ?, ?)",
                       arguments: [key(ghid), dynamic ? 1 : 0, legroom])
    }

    func allOwnObjects() throws -> [(Ghid, Bool, Int)] {
        try Row.fetchAll(db, sql: "SELECT ghid, dynamic, legroom FROM own_object ORDER BY ghid").compactMap { row in
            guard let ghid = decodeGhid(row["ghid"]) else { return nil }
            return (ghid, (row["dynamic"] as Int? ?? 0) != 0, row["legroom"] as Int? ?? 7)
        }
    }

    // MARK: Followed dynamic objects (subscribed on every remote)

    func follow(_ ghid: Ghid) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO followed (ghid) VALUES (?)", arguments: [key(ghid)])
    }

    func unfollow(_ ghid: Ghid) throws {
        try db.execute(sql: "DELETE FROM followed WHERE ghid = ?", arguments: [key(ghid)])
    }

    func followed() throws -> [Ghid] {
        try Data.fetchAll(db, sql: "SELECT ghid FROM followed ORDER BY ghid").compactMap { Ghid(bytes: $0) }
    }

    // MARK: Upload queue

    func enqueue(_ objects: [[UInt8]], for remotes: [String]) throws {
        for remote in remotes {
            for object in objects {
                try db.execute(sql: "INSERT INTO outbox (remote, bytes) VALUES (?, ?)", arguments: [remote, Data(object)])
            }
        }
    }

    func queued(for remote: String, limit: Int) throws -> [(seq: Int64, bytes: [UInt8])] {
        try Row.fetchAll(db, sql: "SELECT seq, bytes FROM outbox WHERE remote = ? ORDER BY seq LIMIT ?",
                         arguments: [remote, limit]).compactMap { row in
            guard let seq = row["seq"] as Int64?, let bytes = row["bytes"] as Data? else { return nil }
            return (seq, [UInt8](bytes))
        }
    }

    func dequeue(_ seq: Int64) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [seq])
    }

    func queueLength(for remote: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE remote = ?", arguments: [remote]) ?? 0
    }

    /// Drops queues of remotes no longer configured.
    func pruneQueues(keeping remotes: [String]) throws {
        let placeholders = remotes.map { _ in "?" }.joined(separator: ",")
        let sql = remotes.isEmpty ? "DELETE FROM outbox" : "DELETE FROM outbox WHERE remote NOT IN (\(placeholders))"
        try db.execute(sql: sql, arguments: StatementArguments(remotes))
    }

    // MARK: Apps

    func knownTokens() throws -> Set<AppToken> {
        Set(try Data.fetchAll(db, sql: "SELECT token FROM app_token").compactMap { AppToken(bytes: $0) })
    }

    func addToken(_ token: AppToken) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO app_token (token) VALUES (?)", arguments: [Data(token.bytes)])
    }

    func startupObject(for token: AppToken) throws -> Ghid? {
        try Data.fetchOne(db, sql: "SELECT ghid FROM startup_object WHERE token = ?", arguments: [Data(token.bytes)])
            .flatMap { Ghid(bytes: $0) }
    }

    func setStartupObject(_ ghid: Ghid?, for token: AppToken) throws {
        if let ghid {
            try db.execute(sql: "INSERT OR REPLACE INTO startup_object (token, ghid) VALUES (?, ?)",
                           arguments: [Data(token.bytes), key(ghid)])
        } else {
            try db.execute(sql: "DELETE FROM startup_object WHERE token = ?", arguments: [Data(token.bytes)])
        }
    }

    func privateOwner(of ghid: Ghid) throws -> AppToken? {
        try Data.fetchOne(db, sql: "SELECT token FROM private_object WHERE ghid = ?", arguments: [key(ghid)])
            .flatMap { AppToken(bytes: $0) }
    }

    func setPrivateOwner(_ token: AppToken?, of ghid: Ghid) throws {
        if let token {
            try db.execute(sql: "INSERT OR REPLACE INTO private_object (ghid, token) VALUES (?, ?)",
                           arguments: [key(ghid), Data(token.bytes)])
        } else {
            try db.execute(sql: "DELETE FROM private_object WHERE ghid = ?", arguments: [key(ghid)])
        }
    }

    // MARK: Shares

    struct OutgoingShare {
        let request: Ghid
        let ghid: Ghid
        let recipient: Ghid
        let token: AppToken?
    }

    func addOutgoingShare(_ share: OutgoingShare) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO outgoing_share (request, ghid, recipient, token) VALUES (?, ?, ?, ?)",
                       arguments: [key(share.request), key(share.ghid), key(share.recipient), share.token.map { Data($0.bytes) }])
    }

    func takeOutgoingShare(_ request: Ghid) throws -> OutgoingShare? {
        guard let row = try Row.fetchOne(db, sql: "SELECT ghid, recipient, token FROM outgoing_share WHERE request = ?",
                                         arguments: [key(request)]),
            let ghid = decodeGhid(row["ghid"]), let recipient = decodeGhid(row["recipient"])
        else { return nil }
        try db.execute(sql: "DELETE FROM outgoing_share WHERE request = ?", arguments: [key(request)])
        return OutgoingShare(request: request, ghid: ghid, recipient: recipient, token: (row["token"] as Data?).flatMap { AppToken(bytes: $0) })
    }

    func outgoingShares() throws -> [OutgoingShare] {
        try Row.fetchAll(db, sql: "SELECT request, ghid, recipient, token FROM outgoing_share ORDER BY request").compactMap { row in
            guard let request = decodeGhid(row["request"]), let ghid = decodeGhid(row["ghid"]), let recipient = decodeGhid(row["recipient"]) else { return nil }
            return OutgoingShare(request: request, ghid: ghid, recipient: recipient, token: (row["token"] as Data?).flatMap { AppToken(bytes: $0) })
        }
    }

    struct IncomingShare: Hashable {
        let ghid: Ghid
        let origin: Ghid
        let apiID: ApiID
    }

    func addIncomingShare(_ share: IncomingShare) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO incoming_share (ghid, origin, api_id) VALUES (?, ?, ?)",
                       arguments: [key(share.ghid), key(share.origin), Data(share.apiID.bytes)])
    }

    func incomingShares(for apiID: ApiID? = nil) throws -> [IncomingShare] {
        let rows: [Row]
        if let apiID {
            rows = try Row.fetchAll(db, sql: "SELECT ghid, origin, api_id FROM incoming_share WHERE api_id = ?", arguments: [Data(apiID.bytes)])
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT ghid, origin, api_id FROM incoming_share")
        }
        return rows.compactMap { row in
            guard let ghid = decodeGhid(row["ghid"]), let origin = decodeGhid(row["origin"]),
                let apiID = (row["api_id"] as Data?).flatMap({ ApiID(bytes: $0) })
            else { return nil }
            return IncomingShare(ghid: ghid, origin: origin, apiID: apiID)
        }
    }

    func removeIncomingShare(_ share: IncomingShare) throws {
        try db.execute(sql: "DELETE FROM incoming_share WHERE ghid = ? AND origin = ?", arguments: [key(share.ghid), key(share.origin)])
    }

    // MARK: Settings

    func setting(_ name: String) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [name])
    }

    func setSetting(_ name: String, _ value: Data?) throws {
        if let value {
            try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", arguments: [name, value])
        } else {
            try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [name])
        }
    }

    // MARK: -

    private func key(_ ghid: Ghid) -> Data { Data(ghid.bytes) }
    private func decodeGhid(_ value: DatabaseValueConvertible?) -> Ghid? { (value as? Data).flatMap { Ghid(bytes: $0) } }
}
