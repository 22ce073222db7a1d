import Golix

/// The persistence provider's rules (acceptance, retention, garbage collection and which pushes to make),
/// as pure logic over an ``ObjectStore``. The server and every daemon's local cache run the same rules.
///
/// Callers parse and verify signatures first (``Doorman``); `ingest` then applies the enforcer, lawyer and
/// bookie rules of HYPERGOLIX-0.1-WIRE §2.3, stores the object, collects what it makes unreachable
/// (§2.4) and says whom to notify (§2.5). It either throws before changing anything or completes, so
/// inside one transaction a failure leaves the store untouched.
public struct PersistenceRules: Sendable {
    /// Also require a frame's history to contain the target of the frame it replaces (when the history
    /// reaches back that far). The original does not check this; the Golix sequence rules do, and without
    /// it anyone holding the binder's key could fork an object's history.
    public var checksFrameHistory: Bool

    public init(checksFrameHistory: Bool = true) {
        self.checksFrameHistory = checksFrameHistory
    }

    public func ingest(_ object: GolixObject, bytes: [UInt8], in store: any ObjectStore) throws(PersistenceError) -> IngestOutcome {
        do {
            let record = StoredObject(object)
            if try store.object(record.ghid) != nil {
                return IngestOutcome(isNew: false)
            }
            let previousFrame = try record.dynamic.flatMap { dynamic throws(StorageError) in try store.object(dynamic) }
            try enforce(record, object: object, previousFrame: previousFrame, in: store)
            try checkAuthorship(record, previousFrame: previousFrame, in: store)
            try checkStanding(record, in: store)

            try store.insert(record, bytes: bytes)
            var outcome = IngestOutcome(isNew: true)
            var undertaker = Undertaker(store: store)
            switch record.kind {
            case .dynamicBinding:
                if let dynamic = record.dynamic, let target = record.target {
                    if try store.object(target) != nil {
                        outcome.notifications.append(Notification(subscription: dynamic, object: record.ghid))
                    } else {
                        // Bindings are published before their containers: announce the frame when its
                        // container arrives, so subscribers can always fetch what it points at.
                        try store.deferDelivery(of: dynamic, until: target)
                    }
                }
                if let previousTarget = previousFrame?.target, previousTarget != record.target {
                    try undertaker.triage(previousTarget)
                }
            case .container:
                for dynamic in try store.takeDeferredDeliveries(awaiting: record.ghid) {
                    if let frame = try store.object(dynamic), frame.target == record.ghid {
                        outcome.notifications.append(Notification(subscription: dynamic, object: frame.ghid))
                    }
                }
            case .request:
                if let recipient = record.target {
                    outcome.notifications.append(Notification(subscription: recipient, object: record.ghid))
                }
            case .debinding:
                if let target = record.target { try undertaker.triage(target) }
            case .identity, .staticBinding:
                break
            }
            outcome.notifications += undertaker.notifications
            outcome.removed = undertaker.removed
            return outcome
        } catch let error as PersistenceError {
            throw error
        } catch let error as StorageError {
            throw PersistenceError(error)
        } catch {
            throw .storage("\(error)")
        }
    }

    // MARK: - Enforcer: what may target what

    func enforce(_ record: StoredObject, object: GolixObject, previousFrame: StoredObject?, in store: any ObjectStore) throws {
        switch record.kind {
        case .staticBinding, .dynamicBinding:
            if let target = record.target, let existing = try store.object(target),
                ![.container, .dynamicBinding].contains(existing.kind)
            {
                throw PersistenceError.invalidTarget("a binding cannot target a \(existing.kind)")
            }
            if record.kind == .dynamicBinding, let previousFrame, case .dynamicBinding(let frame) = object {
                try enforceProgress(frame, previous: previousFrame)
            }
        case .debinding:
            if let target = record.target, let existing = try store.object(target),
                [.identity, .container].contains(existing.kind)
            {
                throw PersistenceError.invalidTarget("a debinding cannot target a \(existing.kind)")
            }
        case .identity, .container, .request:
            break
        }
    }

    /// The first frame seen of a binding is trusted; every later one must advance it.
    func enforceProgress(_ frame: DynamicBinding, previous: StoredObject) throws {
        let previousCounter = previous.counter ?? 0
        guard frame.counter > previousCounter else {
            throw PersistenceError.illegalDynamicFrame(
                "counter \(frame.counter) does not advance past the stored frame's \(previousCounter)")
        }
        let steps = frame.counter - previousCounter
        if checksFrameHistory, steps < UInt64(frame.targetVector.count), let previousTarget = previous.target,
            frame.targetVector[Int(steps)] != previousTarget
        {
            throw PersistenceError.illegalDynamicFrame(
                "history does not contain the target of frame \(previousCounter) at position \(steps)")
        }
    }

    // MARK: - Lawyer: who may sign what

    func checkAuthorship(_ record: StoredObject, previousFrame: StoredObject?, in store: any ObjectStore) throws {
        switch record.kind {
        case .identity:
            return
        case .request:
            if let recipient = record.target { try requireIdentity(recipient, in: store) }
            return
        case .container, .staticBinding, .dynamicBinding, .debinding:
            guard let signer = record.signer else { return }
            try requireIdentity(signer, in: store)
            if record.kind == .dynamicBinding, let previousFrame, previousFrame.signer != signer {
                throw PersistenceError.inconsistentAuthor("only the binder of a dynamic binding may advance it")
            }
            if record.kind == .debinding, let target = record.target, let existing = try store.object(target) {
                try checkDebinder(signer, of: existing)
            }
        }
    }

    /// A request is debound by its recipient; anything else by whoever signed it.
    func checkDebinder(_ debinder: Ghid, of target: StoredObject) throws {
        let entitled = target.kind == .request ? target.target : target.signer
        guard entitled == debinder else {
            throw PersistenceError.inconsistentAuthor(
                target.kind == .request ? "only a request's recipient may debind it"
                    : "only the binder of an object may debind it")
        }
    }

    func requireIdentity(_ ghid: Ghid, in store: any ObjectStore) throws {
        guard let found = try store.object(ghid), found.kind == .identity else {
            throw PersistenceError.invalidIdentity(ghid)
        }
    }

    // MARK: - Bookie: what is still wanted

    func checkStanding(_ record: StoredObject, in store: any ObjectStore) throws {
        var undertaker = Undertaker(store: store)
        switch record.kind {
        case .container:
            guard try undertaker.isBound(record.ghid) else { throw PersistenceError.unboundContainer(record.ghid) }
        case .staticBinding, .debinding, .request:
            if try undertaker.isDebound(record.ghid, arriving: record) { throw PersistenceError.alreadyDebound(record.ghid) }
        case .dynamicBinding:
            // A debound dynamic binding stays dead unless something else binds (holds) it.
            if try undertaker.isDebound(record.address, arriving: record), try !undertaker.isBound(record.address) {
                throw PersistenceError.alreadyDebound(record.address)
            }
        case .identity:
            break
        }
    }

    // MARK: - Queries

    /// `?B`: static bindings (by their ghid) and dynamic bindings (by their dynamic ghid) targeting `ghid`.
    public func bindings(of ghid: Ghid, in store: any ObjectStore) throws(StorageError) -> [Ghid] {
        let statics = try store.objects(targeting: ghid, kind: .staticBinding).map(\.ghid)
        let dynamics = try store.objects(targeting: ghid, kind: .dynamicBinding).map(\.address)
        return statics + dynamics
    }

    /// `?D`: the debindings targeting `ghid`.
    public func debindings(of ghid: Ghid, in store: any ObjectStore) throws(StorageError) -> [Ghid] {
        try store.objects(targeting: ghid, kind: .debinding).map(\.ghid)
    }

    /// The stored requests addressed to `recipient`, re-pushed when it subscribes.
    public func requests(for recipient: Ghid, in store: any ObjectStore) throws(StorageError) -> [Ghid] {
        try store.objects(targeting: recipient, kind: .request).map(\.ghid)
    }
}
