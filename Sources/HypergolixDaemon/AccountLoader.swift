import Foundation
import Golix
import HypergolixWire
import Logging
import Persistence

/// Creates accounts, logs into them (from the local store, or from a remote on a fresh machine — which the
/// original could not do, §7.11), and publishes the account document as new root frames.
struct AccountLoader {
    let store: LocalStore
    let remotes: [HGXConfiguration.Remote]
    let logger: Logger

    struct Opened {
        let identity: PrivateIdentity
        let userID: Ghid
        let rootSecret: Secret
    }

    static let restoredSetting = "account.restored"

    func open(_ login: Login) async throws -> Opened {
        switch login {
        case .create(let password, let rootSecret, let cipherSuite):
            return try create(password: password, rootSecret: rootSecret, cipherSuite: cipherSuite)
        case .existing(let userID, let fingerprint, let password, let rootSecret):
            return try await logIn(userID: userID, fingerprint: fingerprint, password: password, rootSecret: rootSecret)
        }
    }

    private func create(password: String?, rootSecret: Secret?, cipherSuite: CipherSuite) throws -> Opened {
        let identity = try PrivateIdentity.generate(cipherSuite: cipherSuite)
        let root = try rootSecret ?? RootSecret.derive(password: Self.require(password), fingerprint: identity.ghid)
        let vault = SecretVault(rootSecret: root)
        do {
            _ = try store.librarian.publish(identity.identity.serialized())
        } catch {
            throw DaemonError.persistence(error)
        }
        let userID = try Self.publish(store: store, identity: identity, rootSecret: root, userID: nil, vault: vault,
                                      remotes: remotes.map(RemoteLink.name))
        try store.write { try $0.setSetting(Self.restoredSetting, Data([1])) }
        logger.notice("created account \(userID.base64) for identity \(identity.ghid.base64) (\(cipherSuite))")
        return Opened(identity: identity, userID: userID, rootSecret: root)
    }

    private func logIn(userID: Ghid, fingerprint: Ghid, password: String?, rootSecret: Secret?) async throws -> Opened {
        let root = try rootSecret ?? RootSecret.derive(password: Self.require(password), fingerprint: fingerprint)
        let (gidc, frame, container) = try await rootObjects(userID: userID, fingerprint: fingerprint)
        let document = try AccountRoot.read(frame: frame, container: container, root: root, fingerprint: fingerprint)
        let identity = try PrivateIdentity(portable: document.identity)
        guard identity.ghid == fingerprint else { throw DaemonError.account("the account's identity is not \(fingerprint.base64)") }
        // Only now, with the password proven, does anything reach the local store.
        for object in [gidc, frame.serialized(), container.serialized()] {
            do {
                _ = try store.librarian.publish(object)
            } catch {
                throw DaemonError.persistence(error)
            }
        }
        let vault = SecretVault(rootSecret: root)
        try store.write { tx in
            guard try tx.setting(Self.restoredSetting) == nil else { return }
            try Self.restore(document, into: tx, vault: vault)
            try tx.setSetting(Self.restoredSetting, Data([1]))
            logger.notice("restored account \(userID.base64) from its root object")
        }
        return Opened(identity: identity, userID: userID, rootSecret: root)
    }

    static func require(_ password: String?) throws -> String {
        guard let password else { throw DaemonError.account("a password (or a root_secret in the configuration) is needed") }
        return password
    }

    /// The identity and the current root frame and container: from the local store if there, else from
    /// the first remote that has them. Everything is verified against the fingerprint before use.
    private func rootObjects(userID: Ghid, fingerprint: Ghid) async throws -> ([UInt8], DynamicBinding, Container) {
        var failures = [String]()
        if let local = try localRootObjects(userID: userID, fingerprint: fingerprint) { return local }
        for remote in remotes {
            do {
                let client = try await PersistenceClient.connect(host: remote.host, port: remote.port, tls: remote.tls, logger: logger)
                defer { Task { await client.close() } }
                let gidc = try await client.get(fingerprint)
                let frame = try await client.get(userID)
                guard case .dynamicBinding(let binding) = try GolixObject(parsing: frame) else {
                    throw DaemonError.account("\(userID.base64) is not an account root")
                }
                let container = try await client.get(binding.target)
                return try verify(gidc: gidc, frame: frame, container: container, userID: userID, fingerprint: fingerprint)
            } catch let error as DaemonError {
                throw error
            } catch {
                failures.append("\(RemoteLink.name(remote)): \(error)")
            }
        }
        throw DaemonError.account("account \(userID.base64) is neither here nor on any remote"
            + (failures.isEmpty ? " (no remotes configured)" : " (\(failures.joined(separator: "; ")))"))
    }

    private func localRootObjects(userID: Ghid, fingerprint: Ghid) throws -> ([UInt8], DynamicBinding, Container)? {
        try store.read { tx in
            guard let gidc = try tx.objects.bytes(fingerprint), let frame = try tx.objects.bytes(userID),
                case .dynamicBinding(let binding) = try GolixObject(parsing: frame),
                let container = try tx.objects.bytes(binding.target)
            else { return nil }
            return try verify(gidc: gidc, frame: frame, container: container, userID: userID, fingerprint: fingerprint)
        }
    }

    private func verify(gidc: [UInt8], frame: [UInt8], container: [UInt8], userID: Ghid, fingerprint: Ghid) throws
        -> ([UInt8], DynamicBinding, Container)
    {
        do {
            let identity = try Identity(parsing: gidc)
            guard identity.ghid == fingerprint else { throw DaemonError.account("the fingerprint's identity does not match") }
            let binding = try DynamicBinding(parsing: frame)
            let box = try Container(parsing: container)
            try identity.verify(binding)
            try identity.verify(box)
            guard binding.dynamicGhid == userID, binding.target == box.ghid else {
                throw DaemonError.account("the account root objects do not belong together")
            }
            return (gidc, binding, box)
        } catch let error as GolixError {
            throw DaemonError.account("the account root objects do not verify: \(error)")
        }
    }

    // MARK: - The document

    /// Writes the account document as the next root frame (frame 0 when `userID` is nil); returns the user id.
    @discardableResult
    static func publish(store: LocalStore, identity: PrivateIdentity, rootSecret: Secret, userID: Ghid?, vault: SecretVault,
                        remotes: [String]) throws -> Ghid
    {
        try store.write { tx in
            let document = try snapshot(tx, identity: identity, vault: vault).encoded()
            var previous: DynamicBinding?
            if let userID, let bytes = try tx.objects.bytes(userID), case .dynamicBinding(let frame) = try GolixObject(parsing: bytes) {
                previous = frame
            }
            let (frame, container) = try AccountRoot.makeFrame(document: document, identity: identity, root: rootSecret, previous: previous)
            for object in [GolixObject.dynamicBinding(frame), .container(container)] {
                do {
                    _ = try store.librarian.rules.ingest(object, bytes: object.serialized(), in: tx.objects)
                } catch let error as PersistenceError {
                    throw DaemonError.persistence(error)
                }
            }
            try tx.enqueue([frame.serialized(), container.serialized()], for: remotes)
            return frame.dynamicGhid
        }
    }

    static func snapshot(_ tx: LocalTransaction, identity: PrivateIdentity, vault: SecretVault) throws -> AccountDocument {
        var document = AccountDocument(identity: identity.portable())
        document.tokens = try tx.knownTokens().map { $0.bytes.hexString }.sorted()
        for token in try tx.knownTokens() {
            if let ghid = try tx.startupObject(for: token) { document.startup[token.bytes.hexString] = ghid }
        }
        for (ghid, dynamic, legroom) in try tx.allOwnObjects() {
            document.ownObjects.append(.init(ghid: ghid, dynamic: dynamic, legroom: legroom))
            if let owner = try tx.privateOwner(of: ghid) { document.privateObjects[ghid.base64] = owner.bytes.hexString }
        }
        document.followed = try tx.followed()
        for (container, secret) in try tx.allSecrets(vault: vault) {
            document.secrets[container.base64] = secret.base64
        }
        document.outgoingShares = try tx.outgoingShares().map {
            .init(request: $0.request, ghid: $0.ghid, peer: $0.recipient, token: $0.token?.bytes.hexString, apiID: nil)
        }
        // Sorted, so that two devices with the same state write the same document.
        document.incomingShares = try tx.incomingShares().sorted { ($0.ghid, $0.origin) < ($1.ghid, $1.origin) }.map {
            .init(request: nil, ghid: $0.ghid, peer: $0.origin, token: nil, apiID: $0.apiID.bytes.hexString)
        }
        return document
    }

    /// Adds the document's state to this device's. Pending shares are work for the device that holds them; a
    /// merge from another running device leaves them out, or a share one device delivered would come back from
    /// the other's older document and reach the apps twice.
    static func restore(_ document: AccountDocument, into tx: LocalTransaction, vault: SecretVault, pendingShares: Bool = true) throws {
        func token(_ hex: String?) -> AppToken? { hex.flatMap { [UInt8](hexString: $0) }.flatMap { AppToken(bytes: $0) } }
        for hex in document.tokens { if let value = token(hex) { try tx.addToken(value) } }
        for (hex, ghid) in document.startup { if let value = token(hex) { try tx.setStartupObject(ghid, for: value) } }
        for object in document.ownObjects { try tx.setOwnObject(object.ghid, dynamic: object.dynamic, legroom: object.legroom) }
        for (ghid, hex) in document.privateObjects {
            if let ghid = Ghid(base64: ghid), let owner = token(hex) { try tx.setPrivateOwner(owner, of: ghid) }
        }
        for ghid in document.followed { try tx.follow(ghid) }
        for (container, secret) in document.secrets {
            guard let ghid = Ghid(base64: container) else { continue }
            try tx.setSecret(try Secret(base64: secret), for: ghid, vault: vault)
        }
        guard pendingShares else { return }
        for share in document.outgoingShares {
            guard let request = share.request else { continue }
            try tx.addOutgoingShare(.init(request: request, ghid: share.ghid, recipient: share.peer, token: token(share.token)))
        }
        for share in document.incomingShares {
            guard let apiID = share.apiID.flatMap({ [UInt8](hexString: $0) }).flatMap({ ApiID(bytes: $0) }) else { continue }
            try tx.addIncomingShare(.init(ghid: share.ghid, origin: share.peer, apiID: apiID))
        }
    }
}
