import Foundation
import Golix
import HypergolixServer
import HypergolixWire
import Logging
import Persistence

/// A persistence server on a free loopback port for the duration of a test.
final class RunningServer: Sendable {
    let server: PersistenceServer
    let task: Task<Void, any Error>
    let port: Int

    init(cacheDirectory: String? = nil, healthPort: Int? = nil) async throws {
        var logger = Logger(label: "test.server")
        logger.logLevel = .warning
        server = try PersistenceServer(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, cacheDirectory: cacheDirectory, healthPort: healthPort),
            logger: logger
        )
        task = Task { [server] in try await server.run() }
        port = await server.port()
    }

    func client(onUpdate: @escaping @Sendable (Ghid, [UInt8]) async throws(RemoteError) -> Void = { _, _ in }) async throws -> PersistenceClient {
        var logger = Logger(label: "test.client")
        logger.logLevel = .warning
        return try await PersistenceClient.connect(host: "127.0.0.1", port: port, logger: logger, onUpdate: onUpdate)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// Collects pushes for assertions; waits for them with a generous deadline instead of sleeping.
actor Inbox {
    private(set) var updates: [(subscription: Ghid, object: [UInt8])] = []

    func add(_ subscription: Ghid, _ object: [UInt8]) {
        updates.append((subscription, object))
    }

    /// Waits until at least `count` updates arrived (or ten seconds passed) and returns them.
    func wait(for count: Int, timeout: Duration = .seconds(10)) async -> [(subscription: Ghid, object: [UInt8])] {
        let deadline = ContinuousClock.now + timeout
        while updates.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return updates
    }

    var count: Int { updates.count }

    nonisolated var handler: @Sendable (Ghid, [UInt8]) async throws(RemoteError) -> Void {
        { subscription, object throws(RemoteError) in await self.add(subscription, object) }
    }
}

extension WireError {
    /// The NK code, if this is a refusal.
    var code: UInt16? {
        if case .remote(let error) = self { return error.code }
        return nil
    }
}

enum People {
    static let alice = try! PrivateIdentity.generate()
    static let bob = try! PrivateIdentity.generate()
}
