import Foundation
import Golix
@testable import Persistence

/// Identities and a librarian to play ingestion scenarios against, on either kind of storage.
enum StorageKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite
    var testDescription: String { rawValue }
}

import Testing

final class World {
    static let alice = try! PrivateIdentity.generate()
    static let bob = try! PrivateIdentity.generate()
    static let carol = try! PrivateIdentity.generate()

    let librarian: Librarian
    let directory: URL?

    init(_ kind: StorageKind, registering people: [PrivateIdentity] = [World.alice, World.bob]) throws {
        switch kind {
        case .memory:
            directory = nil
            librarian = Librarian(storage: MemoryStorage())
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-store-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            self.directory = directory
            librarian = Librarian(storage: try SQLiteStorage(path: directory.appendingPathComponent("objects.sqlite").path))
        }
        for person in people { try publish(person.identity.serialized()) }
    }

    deinit {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    @discardableResult
    func publish(_ bytes: [UInt8]) throws(PersistenceError) -> IngestOutcome {
        try librarian.publish(bytes).1
    }

    @discardableResult
    func publish(_ object: GolixObject) throws(PersistenceError) -> IngestOutcome {
        try publish(object.serialized())
    }

    func exists(_ ghid: Ghid) throws -> Bool { try librarian.exists(ghid) }
}

/// A static object: container + binding, published binding first as the original does.
struct StaticObject {
    let container: Container
    let binding: StaticBinding

    init(_ author: PrivateIdentity, _ text: String = "static") throws {
        container = try author.makeContainer(Array(text.utf8), secret: .random())
        binding = try author.makeStaticBinding(target: container.ghid)
    }

    func publish(to world: World) throws {
        try world.publish(.staticBinding(binding))
        try world.publish(.container(container))
    }
}

/// A dynamic object whose frames carry the full history.
struct DynamicObject {
    let author: PrivateIdentity
    private(set) var containers: [Container] = []
    private(set) var frames: [DynamicBinding] = []
    var dynamic: Ghid { frames[0].dynamicGhid }

    init(_ author: PrivateIdentity) {
        self.author = author
    }

    /// Makes the next frame and its container without publishing them.
    mutating func advance(_ text: String = "frame") throws -> (DynamicBinding, Container) {
        let container = try author.makeContainer(Array(text.utf8), secret: .random())
        let targets = [container.ghid] + containers.reversed().map(\.ghid)
        let frame = try author.makeDynamicBinding(
            targets: targets, counter: UInt64(frames.count), dynamic: frames.first?.dynamicGhid)
        containers.append(container)
        frames.append(frame)
        return (frame, container)
    }

    /// Advances and publishes, binding first.
    @discardableResult
    mutating func push(to world: World, _ text: String = "frame") throws -> [IngestOutcome] {
        let (frame, container) = try advance(text)
        return [try world.publish(.dynamicBinding(frame)), try world.publish(.container(container))]
    }
}
