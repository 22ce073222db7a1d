import Foundation
import Golix
import Testing
@testable import Persistence

@Suite struct DurabilityTests {
    @Test func everythingSurvivesReopening() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-reopen-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("objects.sqlite").path
        let alice = World.alice
        var object = DynamicObject(alice)
        let request = try alice.makeRequest(.ack(target: .pseudorandom(), status: 0), to: World.bob.identity)
        let pendingFrame: DynamicBinding
        let pendingContainer: Container
        do {
            let librarian = Librarian(storage: try SQLiteStorage(path: path))
            for identity in [alice.identity, World.bob.identity] { _ = try librarian.publish(identity.serialized()) }
            for _ in 0..<3 {
                let (frame, container) = try object.advance()
                _ = try librarian.publish(frame.serialized())
                _ = try librarian.publish(container.serialized())
            }
            _ = try librarian.publish(request.serialized())
            (pendingFrame, pendingContainer) = try object.advance()
            _ = try librarian.publish(pendingFrame.serialized())
        }
        let reopened = Librarian(storage: try SQLiteStorage(path: path))
        #expect(try reopened.retrieve(object.dynamic) == pendingFrame.serialized())
        #expect(try reopened.exists(object.containers[2].ghid) == false, "replaced by the pending frame")
        #expect(try reopened.requests(for: World.bob.ghid) == [request.ghid])
        #expect(try reopened.identity(alice.ghid) == alice.identity)
        // The deferred announcement survives too.
        let outcome = try reopened.publish(pendingContainer.serialized()).1
        #expect(outcome.notifications == [Notification(subscription: object.dynamic, object: pendingFrame.ghid)])
    }

    @Test func aFailedIngestLeavesNoTrace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-rollback-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteStorage(path: directory.appendingPathComponent("objects.sqlite").path)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try storage.write { store in
                try store.insert(StoredObject(.identity(World.alice.identity)), bytes: World.alice.identity.serialized())
                throw Boom()
            }
        }
        #expect(try storage.read { try $0.object(World.alice.ghid) } == nil)
    }
}
