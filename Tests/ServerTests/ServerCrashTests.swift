import Foundation
import GRDB
import Golix
import HypergolixWire
import Logging
import TestSupport
import Testing

/// A server killed with `kill -9` mid-publishing restarts with every acknowledged object and nothing
/// half-written.
@Suite struct ServerCrashTests {
    @Test func killNineKeepsEveryAcknowledgedObject() async throws {
        let scratch = try ScratchDirectory()
        let cache = scratch.file("cache")
        let port = Int.random(in: 41_000...48_000)
        let arguments = ["start", "server", scratch.file("server.pid").path, "--foreground", "--cachedir", cache.path,
                         "--port", String(port)]
        let author = People.alice
        var acknowledged = [[UInt8]]()
        for _ in 0..<3 {
            let process = try BackgroundProcess(Binary.url, arguments, log: scratch.file("server.log"))
            let client = try await Self.connect(port: port, process: process)
            try await client.publish(author.identity.serialized())
            for object in acknowledged.suffix(20) {
                #expect(try await client.get(try Container(parsing: object).ghid) == object)
            }
            let progress = StepCounter()
            let writer = Task { () -> [[UInt8]] in
                var done = [[UInt8]]()
                for index in 0..<100_000 {
                    guard let container = try? author.makeContainer(Array("crash \(index) \(UUID())".utf8), secret: .random()),
                        let binding = try? author.makeStaticBinding(target: container.ghid)
                    else { break }
                    do {
                        try await client.publish(binding.serialized())
                        try await client.publish(container.serialized())
                        done.append(container.serialized())
                        await progress.add()
                    } catch {
                        break
                    }
                }
                return done
            }
            // Kill at a random moment once some writes went through, however loaded the machine is.
            await progress.wait(for: Int.random(in: 10...60))
            #expect(await process.stop(SIGKILL))
            acknowledged += await writer.value
            #expect(try Self.integrity(cache.appendingPathComponent("objects.sqlite").path) == "ok")
        }
        #expect(acknowledged.count > 10)
        let process = try BackgroundProcess(Binary.url, arguments, log: scratch.file("server.log"))
        let client = try await Self.connect(port: port, process: process)
        for object in acknowledged {
            let container = try Container(parsing: object)
            #expect(try await client.get(container.ghid) == object)
        }
        #expect(await process.stop(SIGTERM))
    }

    static func integrity(_ path: String) throws -> String? {
        try DatabasePool(path: path).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
    }

    static func connect(port: Int, process: BackgroundProcess) async throws -> PersistenceClient {
        var logger = Logger(label: "test.crash")
        logger.logLevel = .critical
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let client = try? await PersistenceClient.connect(host: "127.0.0.1", port: port, logger: logger) { return client }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw InteropFailure("the server did not come up")
    }
}
