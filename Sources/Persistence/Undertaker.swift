import Golix

/// Retention and garbage collection (HYPERGOLIX-0.1-WIRE §2.4): decides what is still bound, what is
/// debound, and removes what nothing keeps alive any more, cascading to what the removed objects kept.
struct Undertaker {
    let store: any ObjectStore
    private(set) var notifications: [Notification] = []
    private(set) var removed: [StoredObject] = []

    init(store: any ObjectStore) {
        self.store = store
    }

    /// Bound = some static binding or some current frame targets it.
    func isBound(_ ghid: Ghid) throws(StorageError) -> Bool {
        if try !store.objects(targeting: ghid, kind: .staticBinding).isEmpty { return true }
        return try !store.objects(targeting: ghid, kind: .dynamicBinding).isEmpty
    }

    /// Debound = some *valid* debinding targets it. Debindings that arrived before their target are
    /// checked now that it is known, and dropped if they were not entitled to debind it.
    ///
    /// `arriving` is the object being ingested, which is not stored yet but must be judged as the target.
    mutating func isDebound(_ ghid: Ghid, arriving: StoredObject? = nil) throws(StorageError) -> Bool {
        try validDebinding(of: ghid, arriving: arriving) != nil
    }

    mutating func validDebinding(of ghid: Ghid, arriving: StoredObject? = nil) throws(StorageError) -> StoredObject? {
        let debindings = try store.objects(targeting: ghid, kind: .debinding)
        guard !debindings.isEmpty else { return nil }
        let target: StoredObject?
        if let arriving { target = arriving } else { target = try store.object(ghid) }
        var valid: StoredObject?
        for debinding in debindings {
            if let target, !Self.mayDebind(debinding, target) {
                try store.remove(debinding.ghid)
            } else if valid == nil {
                valid = debinding
            }
        }
        return valid
    }

    static func mayDebind(_ debinding: StoredObject, _ target: StoredObject) -> Bool {
        switch target.kind {
        case .identity, .container: return false
        case .request: return debinding.signer == target.target
        case .staticBinding, .dynamicBinding, .debinding: return debinding.signer == target.signer
        }
    }

    /// Removes `ghid` if nothing keeps it any more, then looks at what it kept.
    mutating func triage(_ ghid: Ghid) throws(StorageError) {
        var queue = [ghid]
        while let next = queue.popLast() {
            guard let object = try store.object(next) else { continue }
            switch object.kind {
            case .identity:
                continue
            case .container:
                guard try !isBound(object.ghid) else { continue }
                try remove(object, notice: nil)
            case .staticBinding:
                guard try isDebound(object.ghid) else { continue }
                try remove(object, notice: nil)
                if let target = object.target { queue.append(target) }
            case .dynamicBinding:
                guard let debinding = try validDebinding(of: object.address), try !isBound(object.address) else { continue }
                try remove(object, notice: Notification(subscription: object.address, object: debinding.ghid))
                if let target = object.target { queue.append(target) }
            case .debinding:
                guard try isDebound(object.ghid) else { continue }
                try remove(object, notice: nil)
            case .request:
                guard let debinding = try validDebinding(of: object.ghid), let recipient = object.target else { continue }
                try remove(object, notice: Notification(subscription: recipient, object: debinding.ghid))
            }
        }
    }

    private mutating func remove(_ object: StoredObject, notice: Notification?) throws(StorageError) {
        try store.remove(object.ghid)
        removed.append(object)
        if let notice { notifications.append(notice) }
    }
}
