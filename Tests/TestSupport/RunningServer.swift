import Foundation
import Golix
import HypergolixServer
import HypergolixWire
import Logging
import Persistence

/// A persistence server on a free loopback port for the duration of a test.
public final class RunningServer: Sendable {
    public let server: PersistenceServer
    let task: Task<Void, any Error>
    public let port: Int

    public init(cacheDirectory: String? = nil, healthPort: Int? = nil, port requestedPort: Int = 0) async throws {
        var logger = Logger(label: "test.server")
        logger.logLevel = .warning
        server = try PersistenceServer(
            configuration: ServerConfiguration(host: "127.0.0.1", port: requestedPort, cacheDirectory: cacheDirectory, healthPort: healthPort),
            logger: logger
        )
        task = Task { [server] in try await server.run() }
        port = await server.port()
    }

    public func client(onUpdate: @escaping @Sendable (Ghid, [UInt8]) async throws(RemoteError) -> Void = { _, _ in }) async throws -> PersistenceClient {
        var logger = Logger(label: "test.client")
        logger.logLevel = .warning
        return try await PersistenceClient.connect(host: "127.0.0.1", port: port, logger: logger, onUpdate: onUpdate)
    }

    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// Collects pushes for assertions; waits for them with a generous deadline instead of sleeping.
public actor Inbox {
    public private(set) var updates: [(subscription: Ghid, object: [UInt8])] = []

    public init() {}

    public func add(_ subscription: Ghid, _ object: [UInt8]) {
        updates.append((subscription, object))
    }

    /// Waits until at least `count` updates arrived (or ten seconds passed) and returns them.
    public func wait(for count: Int, timeout: Duration = .seconds(10)) async -> [(subscription: Ghid, object: [UInt8])] {
        let deadline = ContinuousClock.now + timeout
        while updates.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return updates
    }

    public var count: Int { updates.count }

    public nonisolated var handler: @Sendable (Ghid, [UInt8]) async throws(RemoteError) -> Void {
        { subscription, object throws(RemoteError) in await self.add(subscription, object) }
    }
}

extension WireError {
    /// The NK code, if this is a refusal.
    public var code: UInt16? {
        if case .remote(let error) = self { return error.code }
        return nil
    }
}

public enum People {
    public static let alice = try! PrivateIdentity.generate()
    public static let bob = try! PrivateIdentity.generate()
}
