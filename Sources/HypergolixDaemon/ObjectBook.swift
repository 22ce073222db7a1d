import Foundation
import Golix
import HypergolixWire
import Persistence

/// Application objects over the local store (HYPERGOLIX-0.1-WIRE §4): making the Golix objects for
/// creates and updates, reading them back through the per-frame ratchet, freezing, holding and deleting.
///
/// Every change is one transaction that ingests the new objects under the persistence rules, records
/// their secrets and queues them for upload in publication order (binding before container), so a crash
/// never leaves an object without its secret or an upload without its object.
struct ObjectBook: Sendable {
    let store: LocalStore
    let identity: PrivateIdentity
    let vault: SecretVault
    /// Upload queues (one per configured remote) that new objects go into.
    let remotes: [String]

    static let defaultLegroom = 7

    struct Change: Sendable {
        var ghid: Ghid
        var removed: [StoredObject] = []
        /// The new container, for an update.
        var container: Ghid?
    }

    // MARK: - Creating and updating

    func create(state: [UInt8], apiID: ApiID, dynamic: Bool, legroom: Int) throws -> Ghid {
        let secret = Secret.random(cipherSuite: identity.cipherSuite)
        let plaintext = AppPayload(apiID: apiID, state: state).serialized()
        if dynamic {
            let (container, frame) = try identity.makeFrame(plaintext, secret: secret, history: [], counter: 0, dynamic: nil)
            try store.write { tx in
                try ingest([.dynamicBinding(frame), .container(container)], in: tx)
                try tx.setSecret(secret, for: container.ghid, vault: vault)
                try tx.setOwnObject(frame.dynamicGhid, dynamic: true, legroom: legroom)
                try tx.follow(frame.dynamicGhid)
            }
            return frame.dynamicGhid
        }
        let container = try identity.makeContainer(plaintext, secret: secret)
        let binding = try identity.makeStaticBinding(target: container.ghid)
        try store.write { tx in
            try ingest([.staticBinding(binding), .container(container)], in: tx)
            try tx.setSecret(secret, for: container.ghid, vault: vault)
            try tx.setOwnObject(container.ghid, dynamic: false, legroom: 0)
        }
        return container.ghid
    }

    /// Pushes a new frame of one of our dynamic objects. The new secret is the chained ratchet of the
    /// current one, so everyone who could read the object can read the update.
    @discardableResult
    func update(_ ghid: Ghid, state: [UInt8], apiID: ApiID) throws -> Change {
        try store.write { tx in
            guard let own = try tx.ownObject(ghid) else { throw DaemonError.locallyImmutable("it belongs to someone else") }
            guard own.dynamic else { throw DaemonError.locallyImmutable("a static object cannot change") }
            guard let frameBytes = try tx.objects.bytes(ghid), case .dynamicBinding(let current) = try GolixObject(parsing: frameBytes)
            else { throw DaemonError.unknownObject(ghid) }
            guard let previousSecret = try tx.secret(for: current.target, vault: vault) else { throw DaemonError.unknownSecret(ghid) }
            let secret = previousSecret.ratcheted(previousContainer: current.target, dynamic: ghid)
            let (container, frame) = try identity.makeFrame(
                AppPayload(apiID: apiID, state: state).serialized(), secret: secret,
                history: Array(current.targetVector.prefix(max(1, own.legroom))), counter: current.counter + 1, dynamic: ghid)
            let removed = try ingest([.dynamicBinding(frame), .container(container)], in: tx)
            try tx.setSecret(secret, for: container.ghid, vault: vault)
            try forgetSecrets(of: removed, in: tx)
            return Change(ghid: ghid, removed: removed, container: container.ghid)
        }
    }

    /// `*O`: a static binding of the current container; its ghid names the frozen state.
    func freeze(_ ghid: Ghid) throws -> Ghid {
        try store.write { tx in
            guard let frameBytes = try tx.objects.bytes(ghid), case .dynamicBinding(let frame) = try GolixObject(parsing: frameBytes)
            else { throw DaemonError.invalidRequest("only dynamic objects can be frozen") }
            try ingest([.staticBinding(identity.makeStaticBinding(target: frame.target))], in: tx)
            return frame.target
        }
    }

    /// `#O`: a static binding of the object itself, which keeps it alive even if its binder debinds it.
    func hold(_ ghid: Ghid) throws {
        try store.write { tx in
            guard try tx.objects.object(ghid) != nil else { throw DaemonError.unknownObject(ghid) }
            try ingest([.staticBinding(identity.makeStaticBinding(target: ghid))], in: tx)
        }
    }

    /// `XO`: debinds our bindings of the object; the persistence rules then collect it here and on remotes.
    func delete(_ ghid: Ghid) throws -> Change {
        try store.write { tx in
            guard let summary = try tx.objects.object(ghid) else { throw DaemonError.unknownObject(ghid) }
            var debindings = [GolixObject]()
            switch summary.kind {
            case .dynamicBinding:
                guard summary.signer == identity.ghid else { throw DaemonError.locallyImmutable("only its binder can delete it") }
                debindings.append(.debinding(try identity.makeDebinding(target: summary.address)))
            case .container:
                let mine = try tx.objects.objects(targeting: ghid, kind: .staticBinding).filter { $0.signer == identity.ghid }
                guard !mine.isEmpty else { throw DaemonError.locallyImmutable("no binding of ours keeps it") }
                debindings += try mine.map { .debinding(try identity.makeDebinding(target: $0.ghid)) }
            default:
                throw DaemonError.invalidRequest("\(ghid.base64) is not an object")
            }
            let removed = try ingest(debindings, in: tx)
            try forgetSecrets(of: removed, in: tx)
            try tx.unfollow(ghid)
            return Change(ghid: ghid, removed: removed)
        }
    }

    // MARK: - Reading

    enum Reading: Sendable {
        case object(AppObject)
        /// Stored here but its container is not: fetch it, then read again.
        case needsContainer(Ghid)
        /// Not stored here at all.
        case missing
    }

    func read(_ ghid: Ghid) throws -> Reading {
        try store.write { tx in try read(ghid, in: tx) }
    }

    /// Reads through the ratchet: finds the newest container in the frame's target vector whose secret is
    /// known, derives the secrets of every newer frame, and keeps them.
    func read(_ ghid: Ghid, in tx: LocalTransaction) throws -> Reading {
        guard let bytes = try tx.objects.bytes(ghid) else { return .missing }
        switch try GolixObject(parsing: bytes) {
        case .dynamicBinding(let frame):
            guard try tx.objects.object(frame.target) != nil else { return .needsContainer(frame.target) }
            try heal(frame, in: tx)
            // The newest readable frame wins; older containers are a fallback if the newest will not open.
            for target in frame.targetVector {
                guard let secret = try tx.secret(for: target, vault: vault),
                    let containerBytes = try tx.objects.bytes(target),
                    case .container(let container) = try GolixObject(parsing: containerBytes),
                    let payload = AppPayload(parsing: try container.plaintext(using: secret))
                else { continue }
                return .object(AppObject(ghid: frame.dynamicGhid, author: frame.binder, isDynamic: true,
                                         apiID: payload.apiID, state: payload.state, container: container.ghid))
            }
            throw DaemonError.unknownSecret(ghid)
        case .container(let container):
            guard let secret = try tx.secret(for: container.ghid, vault: vault) else { throw DaemonError.unknownSecret(ghid) }
            guard let payload = AppPayload(parsing: try container.plaintext(using: secret)) else {
                throw DaemonError.invalidRequest("\(ghid.base64) is not an application object")
            }
            return .object(AppObject(ghid: container.ghid, author: container.author, isDynamic: false,
                                     apiID: payload.apiID, state: payload.state, container: container.ghid))
        default:
            throw DaemonError.invalidRequest("\(ghid.base64) is not an application object")
        }
    }

    /// Derives and stores the secrets of the frames newer than the newest known one.
    func heal(_ frame: DynamicBinding, in tx: LocalTransaction) throws {
        let vector = frame.targetVector
        guard let known = try vector.indices.first(where: { try tx.secret(for: vector[$0], vault: vault) != nil }),
            known > 0, var secret = try tx.secret(for: vector[known], vault: vault)
        else { return }
        for index in stride(from: known, to: 0, by: -1) {
            secret = secret.ratcheted(previousContainer: vector[index], dynamic: frame.dynamicGhid)
            try tx.setSecret(secret, for: vector[index - 1], vault: vault)
        }
    }

    // MARK: - Objects from elsewhere

    /// Admits and stores an object from a remote; new frames heal their secrets at once, so the chain is
    /// kept even when the previous container is collected before the new one arrives.
    func ingestRemote(_ bytes: [UInt8]) throws -> (GolixObject, IngestOutcome) {
        let object: GolixObject
        do {
            object = try store.librarian.admit(bytes)
        } catch {
            throw DaemonError.persistence(error)
        }
        let outcome = try store.write { tx -> IngestOutcome in
            if case .dynamicBinding(let frame) = object { try heal(frame, in: tx) }
            let outcome: IngestOutcome
            do {
                outcome = try store.librarian.rules.ingest(object, bytes: bytes, in: tx.objects)
            } catch let error as PersistenceError {
                throw DaemonError.persistence(error)
            }
            try forgetSecrets(of: outcome.removed, in: tx)
            return outcome
        }
        return (object, outcome)
    }

    /// Whether a handshake's secret opens `container` as an application object: how the recipient finds
    /// which container of a moving object a secret belongs to (§7.12).
    func opens(_ secret: Secret, _ container: Ghid) throws -> Bool {
        try store.read { tx in
            guard let bytes = try tx.objects.bytes(container), case .container(let object) = try GolixObject(parsing: bytes) else {
                return false
            }
            return AppPayload(parsing: try object.plaintext(using: secret)) != nil
        }
    }

    func storeSecret(_ secret: Secret, for container: Ghid) throws {
        try store.write { tx in try tx.setSecret(secret, for: container, vault: vault) }
    }

    // MARK: -

    /// Ingests our own new objects and queues them for upload, in order. Returns what was collected.
    @discardableResult
    func ingest(_ objects: [GolixObject], in tx: LocalTransaction) throws -> [StoredObject] {
        var removed = [StoredObject]()
        for object in objects {
            let bytes = object.serialized()
            do {
                removed += try store.librarian.rules.ingest(object, bytes: bytes, in: tx.objects).removed
            } catch {
                throw DaemonError.persistence(error)
            }
        }
        try tx.enqueue(objects.map { $0.serialized() }, for: remotes)
        return removed
    }

    /// A collected container's secret is of no more use: the frames after it carry their own.
    func forgetSecrets(of removed: [StoredObject], in tx: LocalTransaction) throws {
        for object in removed where object.kind == .container {
            try tx.removeSecret(for: object.ghid)
        }
    }
}
