import Foundation
import Golix
import HypergolixWire
import Logging

/// What a remote link asks of the daemon.
protocol RemoteLinkDelegate: Sendable {
    /// A `!!` push: a new frame, a request, or a debinding, for `subscription`.
    func remoteUpdate(_ subscription: Ghid, _ object: [UInt8], from link: RemoteLink) async throws(RemoteError)
    /// What to publish and subscribe on every (re)connect: the identity first, then subscriptions.
    func bootstrap(for link: RemoteLink) async -> (identity: [UInt8], subscriptions: [Ghid])
    /// A queued upload the remote refused for good (it is dropped from the queue).
    func uploadRefused(_ object: [UInt8], _ error: RemoteError, by link: RemoteLink) async
    /// The link is up, subscribed and flushed: time to catch up with what changed while it was down.
    func linkConnected(_ link: RemoteLink) async
}

/// One persistence server: a connection kept up with backoff, bootstrapped on every connect
/// (HYPERGOLIX-0.1-WIRE §2.6), and the durable upload queue for it drained in order.
actor RemoteLink {
    nonisolated let remote: HGXConfiguration.Remote
    nonisolated let name: String
    private let store: LocalStore
    private let delegate: any RemoteLinkDelegate
    private let logger: Logger
    private var client: PersistenceClient?
    private var flushing = false
    private var flushAgain = false
    private var connectWaiters: [CheckedContinuation<Void, Never>] = []
    private var runner: Task<Void, Never>?

    /// Longest wait between reconnection attempts.
    static let maximumBackoff: Duration = .seconds(30)

    init(remote: HGXConfiguration.Remote, store: LocalStore, delegate: any RemoteLinkDelegate, logger: Logger) {
        self.remote = remote
        self.name = Self.name(remote)
        self.store = store
        self.delegate = delegate
        self.logger = logger
    }

    static func name(_ remote: HGXConfiguration.Remote) -> String { "\(remote.host):\(remote.port)" }

    var isConnected: Bool { client != nil }

    func start() {
        guard runner == nil else { return }
        runner = Task { await self.maintain() }
    }

    func stop() async {
        runner?.cancel()
        runner = nil
        if let client {
            _ = try? await client.connection.request(.disconnect)
            await client.close()
        }
        client = nil
    }

    /// Connects, serves until the connection drops, and tries again with exponential backoff and jitter.
    private func maintain() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let connected = try await PersistenceClient.connect(
                    host: remote.host, port: remote.port, tls: remote.tls, logger: logger
                ) { [weak self] subscription, object throws(RemoteError) in
                    guard let self else { return }
                    try await self.delegate.remoteUpdate(subscription, object, from: self)
                }
                failures = 0
                logger.info("connected to remote \(name)")
                try await bootstrap(connected)
                client = connected
                for waiter in connectWaiters { waiter.resume() }
                connectWaiters = []
                await flush()
                // Pushes sent while the link was down are lost; the subscriptions above are already in place,
                // so fetching the current state now leaves no gap.
                let catchUp = Task { await delegate.linkConnected(self) }
                await connected.connection.waitUntilClosed()
                catchUp.cancel()
                client = nil
                logger.notice("lost remote \(name); reconnecting")
            } catch {
                client = nil
                failures += 1
                logger.debug("remote \(name) unavailable (\(error)); attempt \(failures)")
            }
            let base = min(Self.maximumBackoff, .milliseconds(100) * (1 << min(failures, 10)))
            try? await Task.sleep(for: base.jittered)
        }
    }

    private func bootstrap(_ client: PersistenceClient) async throws {
        let (identity, subscriptions) = await delegate.bootstrap(for: self)
        try await client.publish(identity)
        for ghid in subscriptions { try await client.subscribe(ghid) }
    }

    /// Waits (up to `timeout`) for the link to be connected; false if it is not.
    func waitUntilConnected(timeout: Duration) async -> Bool {
        if client != nil { return true }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.releaseWaiters()
        }
        await withCheckedContinuation { connectWaiters.append($0) }
        timer.cancel()
        return client != nil
    }

    private func releaseWaiters() {
        for waiter in connectWaiters { waiter.resume() }
        connectWaiters = []
    }

    // MARK: - Uploads

    /// Sends everything queued for this remote, oldest first, pipelined; an entry leaves the queue only
    /// once the remote answered for it.
    func flush() async {
        guard let client else { return }
        guard !flushing else {
            flushAgain = true
            return
        }
        flushing = true
        defer { flushing = false }
        repeat {
            flushAgain = false
            let batch: [(seq: Int64, bytes: [UInt8])]
            do {
                batch = try store.read { try $0.queued(for: name, limit: 64) }
            } catch {
                logger.error("cannot read the upload queue: \(error)")
                return
            }
            if batch.isEmpty { continue }
            var tokens = [UInt16]()
            do {
                for entry in batch { tokens.append(try await client.connection.send(.publish, entry.bytes)) }
            } catch {
                return
            }
            for (entry, token) in zip(batch, tokens) {
                do {
                    _ = try await client.connection.response(to: token)
                } catch .remote(let refusal) {
                    logger.info("remote \(name) refused an upload: \(refusal)")
                    await delegate.uploadRefused(entry.bytes, refusal, by: self)
                } catch {
                    return  // the connection dropped; the rest stays queued for the next connect
                }
                do {
                    try store.write { try $0.dequeue(entry.seq) }
                } catch {
                    logger.error("cannot update the upload queue: \(error)")
                    return
                }
            }
            flushAgain = true
        } while flushAgain
    }

    /// Flushes until the queue is empty, the link drops, or `timeout` passes: for a clean stop.
    func drain(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while client != nil, ContinuousClock.now < deadline {
            await flush()
            let remaining = (try? store.read { try $0.queueLength(for: name) }) ?? 0
            if remaining == 0 { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    // MARK: - Requests

    func get(_ ghid: Ghid) async throws -> [UInt8] {
        guard let client else { throw DaemonError.noRemote("\(name) is not connected") }
        return try await client.get(ghid)
    }

    func bindings(of ghid: Ghid) async throws -> [Ghid] {
        guard let client else { throw DaemonError.noRemote("\(name) is not connected") }
        return try await client.bindings(of: ghid)
    }

    func debindings(of ghid: Ghid) async throws -> [Ghid] {
        guard let client else { throw DaemonError.noRemote("\(name) is not connected") }
        return try await client.debindings(of: ghid)
    }

    func subscribe(_ ghid: Ghid) async {
        guard let client else { return }
        do {
            try await client.subscribe(ghid)
        } catch {
            logger.debug("could not subscribe to \(ghid) on \(name): \(error)")
        }
    }

    func unsubscribe(_ ghid: Ghid) async {
        _ = try? await client?.unsubscribe(ghid)
    }
}

extension Duration {
    /// Between half and all of itself, so that many daemons do not reconnect in step.
    var jittered: Duration {
        self * Double.random(in: 0.5...1.0)
    }
}
