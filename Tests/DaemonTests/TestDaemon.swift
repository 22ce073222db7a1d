import Foundation
import Golix
@testable import HypergolixDaemon
import HypergolixWire
import Logging
import TestSupport

/// A daemon in a temporary directory on a free IPC port, syncing with the given servers.
final class TestDaemon: Sendable {
    let daemon: Daemon
    let directory: URL
    let rootSecret: Secret
    let remotes: [HGXConfiguration.Remote]

    static func logger() -> Logger {
        var logger = Logger(label: "test.daemon")
        logger.logLevel = .warning
        return logger
    }

    static func configuration(_ directory: URL, remotes: [HGXConfiguration.Remote]) -> DaemonConfiguration {
        DaemonConfiguration(directory: directory, ipcPort: 0, remotes: remotes, accountSyncDelay: .milliseconds(20))
    }

    /// A new account.
    init(servers: [Int] = [], suite: CipherSuite = .suite3, directory: URL? = nil) async throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("hgx-daemon-\(UUID())")
        rootSecret = .random(cipherSuite: .suite1)
        remotes = servers.map { HGXConfiguration.Remote(host: "127.0.0.1", port: $0, tls: false) }
        daemon = try await Daemon.start(
            configuration: Self.configuration(self.directory, remotes: remotes),
            login: .create(password: nil, rootSecret: rootSecret, cipherSuite: suite),
            logger: Self.logger()
        )
    }

    /// An existing account, in `directory` (a fresh one for a new machine).
    init(userID: Ghid, fingerprint: Ghid, rootSecret: Secret, servers: [Int], directory: URL) async throws {
        self.directory = directory
        self.rootSecret = rootSecret
        remotes = servers.map { HGXConfiguration.Remote(host: "127.0.0.1", port: $0, tls: false) }
        daemon = try await Daemon.start(
            configuration: Self.configuration(directory, remotes: remotes),
            login: .existing(userID: userID, fingerprint: fingerprint, password: nil, rootSecret: rootSecret),
            logger: Self.logger()
        )
    }

    /// The same account again, from the same directory: a restart.
    func restarted(servers: [Int]? = nil) async throws -> TestDaemon {
        await daemon.stop()
        return try await TestDaemon(userID: daemon.userID, fingerprint: daemon.fingerprint, rootSecret: rootSecret,
                                    servers: servers ?? remotes.map(\.port), directory: directory)
    }

    /// The same account logged in on another machine: a fresh directory, the same user id and root secret.
    func anotherDevice(servers: [Int]) async throws -> TestDaemon {
        try await TestDaemon(userID: daemon.userID, fingerprint: fingerprint, rootSecret: rootSecret, servers: servers,
                             directory: FileManager.default.temporaryDirectory.appendingPathComponent("hgx-device-\(UUID())"))
    }

    var fingerprint: Ghid { daemon.fingerprint }

    func app() async throws -> TestApp {
        try await TestApp.connect(port: await daemon.ipcPort())
    }

    func stop() async {
        await daemon.stop()
    }
}

/// Waits for a condition with a generous deadline instead of sleeping a fixed time.
func eventually(_ timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
