import Foundation
import Golix
import HypergolixWire
import Logging
import Persistence

/// The Hypergolix daemon: one per user and machine. Holds the user's keys, keeps objects in sync with the
/// configured persistence servers, shares them with other users, and serves applications over IPC.
public actor Daemon {
    public nonisolated let configuration: DaemonConfiguration
    public nonisolated let identity: PrivateIdentity
    /// The account's root object: with the password it restores the account anywhere.
    public nonisolated let userID: Ghid
    nonisolated let store: LocalStore
    nonisolated let book: ObjectBook
    nonisolated let logger: Logger
    let rootSecret: Secret
    var links: [RemoteLink] = []
    var ipcServer: IPCServer?
    var accountSync: Task<Void, Never>?
    var isStopped = false

    // Apps connected now (in memory only; tokens and what hangs off them are persisted).
    var sessions: [ObjectIdentifier: AppSessionState] = [:]
    var tokenHolders: [AppToken: ObjectIdentifier] = [:]
    var trackers: [Ghid: Set<ObjectIdentifier>] = [:]
    var registrations: [ApiID: Set<ObjectIdentifier>] = [:]
    /// The API of objects we made or read, so an update need not decrypt the object again to learn it.
    var apiIDs: [Ghid: ApiID] = [:]

    public nonisolated var fingerprint: Ghid { identity.ghid }

    /// How long a request for an object that is not here waits for a disconnected remote.
    static let remoteGracePeriod: Duration = .seconds(5)

    init(configuration: DaemonConfiguration, store: LocalStore, identity: PrivateIdentity, userID: Ghid, rootSecret: Secret, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.identity = identity
        self.userID = userID
        self.rootSecret = rootSecret
        self.logger = logger
        book = ObjectBook(store: store, identity: identity, vault: SecretVault(rootSecret: rootSecret),
                          remotes: configuration.remotes.map(RemoteLink.name))
    }

    /// Opens (or creates) the account, connects to the remotes and starts serving apps.
    public static func start(configuration: DaemonConfiguration, login: Login, logger: Logger = Logger(label: "hypergolix.daemon")) async throws -> Daemon {
        try FileManager.default.createDirectory(at: configuration.directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let store = try LocalStore(path: configuration.directory.appendingPathComponent(LocalStore.fileName).path)
        let remotes = configuration.remotes.map(RemoteLink.name)
        try store.write { try $0.pruneQueues(keeping: remotes) }
        let account = try await AccountLoader(store: store, remotes: configuration.remotes, logger: logger).open(login)
        let daemon = Daemon(configuration: configuration, store: store, identity: account.identity, userID: account.userID,
                            rootSecret: account.rootSecret, logger: logger)
        try await daemon.begin()
        return daemon
    }

    private func begin() async throws {
        links = configuration.remotes.map { RemoteLink(remote: $0, store: store, delegate: self, logger: logger) }
        for link in links { await link.start() }
        let server = IPCServer(daemon: self, host: configuration.ipcHost, port: configuration.ipcPort,
                               refusesOtherUsers: configuration.refusesOtherUsers, logger: logger)
        ipcServer = server
        try await server.start()
        let port = await server.port()
        logger.notice("daemon for \(identity.ghid.base64) serving apps on \(configuration.ipcHost):\(port)")
    }

    /// The bound IPC port, once listening.
    public func ipcPort() async -> Int {
        await ipcServer?.port() ?? configuration.ipcPort
    }

    /// Publishes pending account changes, says goodbye to the remotes and stops serving apps.
    public func stop() async {
        guard !isStopped else { return }
        isStopped = true
        accountSync?.cancel()
        await syncAccount()
        for link in links { await link.drain(timeout: .seconds(5)) }
        await ipcServer?.stop()
        for link in links { await link.stop() }
    }

    // MARK: - Remotes

    /// Upload queues are written inside each change's transaction; this sends them.
    func flushUploads() {
        for link in links { Task { await link.flush() } }
    }

    func connectedLinks() async -> [RemoteLink] {
        var connected = [RemoteLink]()
        for link in links where await link.isConnected { connected.append(link) }
        return connected
    }

    /// Waits until at least one remote is connected (for tests and the demo); false on timeout or none.
    public func waitForRemotes(timeout: Duration = .seconds(10)) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            for link in links { group.addTask { await link.waitUntilConnected(timeout: timeout) } }
            for await connected in group where connected {
                group.cancelAll()
                return true
            }
            return false
        }
    }

    /// Uploads not yet acknowledged by `remote` (host:port), for tests and status.
    public nonisolated func queuedUploads(for remote: String) throws -> Int {
        try store.read { try $0.queueLength(for: remote) }
    }

    // MARK: - Account

    /// Account changes are published as a new root frame after a short delay, so bursts make one frame.
    func accountChanged() {
        guard accountSync == nil, !isStopped else { return }
        let delay = configuration.accountSyncDelay
        accountSync = Task {
            try? await Task.sleep(for: delay)
            await self.syncAccount()
        }
    }

    func syncAccount() async {
        accountSync = nil
        do {
            try AccountLoader.publish(store: store, identity: identity, rootSecret: rootSecret, userID: userID, vault: book.vault,
                                      remotes: configuration.remotes.map(RemoteLink.name))
            flushUploads()
        } catch {
            logger.error("could not publish the account: \(error)")
        }
    }
}
