import Foundation
import Golix

/// Objects kept in memory only: what the server uses without `--cachedir`, and what tests use.
///
/// Writes apply as they happen (no rollback). That is safe for the rules engine, which checks everything
/// before it changes anything, and nothing here can fail.
public final class MemoryStorage: ObjectStorage, @unchecked Sendable {
    // `store` is only touched while `lock` is held: one transaction at a time, as SQLite's writer.
    private let lock = NSLock()
    private let store = MemoryObjectStore()

    public init() {}

    public func write<T>(_ body: (any ObjectStore) throws -> T) throws -> T {
        try lock.withLock { try body(store) }
    }

    public func read<T>(_ body: (any ObjectStore) throws -> T) throws -> T {
        try lock.withLock { try body(store) }
    }
}

/// The tables of ``MemoryStorage``.
final class MemoryObjectStore: ObjectStore {
    private var objects: [Ghid: (record: StoredObject, bytes: [UInt8])] = [:]
    /// dynamic ghid → current frame ghid
    private var frames: [Ghid: Ghid] = [:]
    private var targets: [TargetKey: Set<Ghid>] = [:]
    private var deferred: [Ghid: Set<Ghid>] = [:]

    private struct TargetKey: Hashable {
        let target: Ghid
        let kind: StoredObject.Kind
    }

    func object(_ ghid: Ghid) -> StoredObject? {
        if let found = objects[ghid] { return found.record }
        return frames[ghid].flatMap { objects[$0]?.record }
    }

    func bytes(_ ghid: Ghid) -> [UInt8]? {
        if let found = objects[ghid] { return found.bytes }
        return frames[ghid].flatMap { objects[$0]?.bytes }
    }

    func objects(targeting ghid: Ghid, kind: StoredObject.Kind) -> [StoredObject] {
        (targets[TargetKey(target: ghid, kind: kind)] ?? []).sorted().compactMap { objects[$0]?.record }
    }

    func insert(_ object: StoredObject, bytes: [UInt8]) {
        if let dynamic = object.dynamic {
            if let previous = frames[dynamic] { remove(previous) }
            frames[dynamic] = object.ghid
        }
        objects[object.ghid] = (object, bytes)
        if let target = object.target {
            targets[TargetKey(target: target, kind: object.kind), default: []].insert(object.ghid)
        }
    }

    func remove(_ ghid: Ghid) {
        guard let (record, _) = objects.removeValue(forKey: ghid) else { return }
        if let dynamic = record.dynamic, frames[dynamic] == ghid { frames[dynamic] = nil }
        if let target = record.target {
            let key = TargetKey(target: target, kind: record.kind)
            targets[key]?.remove(ghid)
            if targets[key]?.isEmpty == true { targets[key] = nil }
        }
    }

    func deferDelivery(of dynamic: Ghid, until container: Ghid) {
        deferred[container, default: []].insert(dynamic)
    }

    func takeDeferredDeliveries(awaiting container: Ghid) -> [Ghid] {
        (deferred.removeValue(forKey: container) ?? []).sorted()
    }
}
