import Foundation
import Golix
import HypergolixWire
import Persistence

/// What apps can ask of the daemon (HYPERGOLIX-0.1-WIRE §3.2, §3.4), with the original's defects fixed:
/// private objects are enforced per app token (§7.13), objects not yet here are pulled before use (§7.10),
/// and shares that arrived while no app listened are delivered when one registers their API (§7.14).
extension Daemon {
    func connect(_ connection: WireConnection) {
        sessions[ObjectIdentifier(connection)] = AppSessionState(connection: connection)
    }

    func disconnect(_ connection: WireConnection) {
        let id = ObjectIdentifier(connection)
        guard let state = sessions.removeValue(forKey: id) else { return }
        if let token = state.token, tokenHolders[token] == id { tokenHolders[token] = nil }
        for ghid in state.tracked { trackers[ghid]?.remove(id) }
        for apiID in state.apiIDs { registrations[apiID]?.remove(id) }
    }

    // MARK: - Tokens, APIs and startup objects

    func setToken(_ token: AppToken, for session: ObjectIdentifier) throws -> AppToken {
        guard sessions[session] != nil else { throw DaemonError.internalFailure("no such session") }
        if token.isNull {
            guard sessions[session]?.token == nil else { throw DaemonError.invalidRequest("this app already has a token") }
            let known = try store.read { try $0.knownTokens() }
            var fresh = AppToken.random()
            while known.contains(fresh) { fresh = AppToken.random() }
            try store.write { try $0.addToken(fresh) }
            accountChanged()
            bind(fresh, to: session)
            return fresh
        }
        guard sessions[session]?.token == nil else { throw DaemonError.tokenInUse("this connection already holds a token") }
        if let holder = tokenHolders[token], holder != session {
            throw DaemonError.tokenInUse("the token is in use by another connection")
        }
        guard try store.read({ try $0.knownTokens() }).contains(token) else { throw DaemonError.unknownToken }
        bind(token, to: session)
        return token
    }

    private func bind(_ token: AppToken, to session: ObjectIdentifier) {
        sessions[session]?.token = token
        tokenHolders[token] = session
    }

    func token(of session: ObjectIdentifier) throws -> AppToken {
        guard let token = sessions[session]?.token else { throw DaemonError.unknownToken }
        return token
    }

    /// Registers the API and returns the delivery of shares that waited for it.
    func register(_ apiID: ApiID, for session: ObjectIdentifier) throws -> (@Sendable () async -> Void)? {
        sessions[session]?.apiIDs.insert(apiID)
        registrations[apiID, default: []].insert(session)
        let waiting = try store.read { try $0.incomingShares(for: apiID) }
        guard !waiting.isEmpty, let connection = sessions[session]?.connection else { return nil }
        return { [self] in
            for share in waiting {
                await self.announce(share.ghid, from: share.origin, apiID: share.apiID, to: connection)
                try? self.store.write { try $0.removeIncomingShare(share) }
            }
            await self.accountChanged()
        }
    }

    func deregister(_ apiID: ApiID, for session: ObjectIdentifier) {
        sessions[session]?.apiIDs.remove(apiID)
        registrations[apiID]?.remove(session)
    }

    func startupObject(for session: ObjectIdentifier) throws -> Ghid? {
        let token = try token(of: session)
        return try store.read { try $0.startupObject(for: token) }
    }

    func setStartupObject(_ ghid: Ghid?, for session: ObjectIdentifier) throws {
        let token = try token(of: session)
        if ghid != nil, try store.read({ try $0.startupObject(for: token) }) != nil {
            throw DaemonError.invalidRequest("a startup object is already registered; deregister it first")
        }
        try store.write { try $0.setStartupObject(ghid, for: token) }
        accountChanged()
    }

    // MARK: - Objects

    /// Private objects belong to the token that made them.
    func checkAccess(_ ghid: Ghid, for session: ObjectIdentifier) throws -> AppToken? {
        let owner = try store.read { try $0.privateOwner(of: ghid) }
        if let owner, owner != sessions[session]?.token { throw DaemonError.privateObject(ghid) }
        return owner
    }

    func getObject(_ ghid: Ghid, for session: ObjectIdentifier) async throws -> ObjectDefinition {
        let owner = try checkAccess(ghid, for: session)
        let object = try await readOrPull(ghid)
        track(ghid, by: session)
        if object.isDynamic { await follow(ghid) }
        return object.definition(isPrivate: owner != nil, legroom: nil)
    }

    func newObject(_ definition: ObjectDefinition, for session: ObjectIdentifier) async throws -> Ghid {
        guard !definition.isLink else { throw DaemonError.notImplemented("links") }
        let token = definition.isPrivate ? try token(of: session) : nil
        let legroom = Int(definition.legroom ?? UInt8(ObjectBook.defaultLegroom))
        let ghid = try book.create(state: definition.state, apiID: definition.apiID, dynamic: definition.isDynamic, legroom: legroom)
        apiIDs[ghid] = definition.apiID
        if let token { try store.write { try $0.setPrivateOwner(token, of: ghid) } }
        track(ghid, by: session)
        flushUploads()
        if definition.isDynamic { await follow(ghid) }
        accountChanged()
        if token == nil {
            await announceLocally(ghid, apiID: definition.apiID, except: session)
        }
        return ghid
    }

    func updateObject(_ definition: ObjectDefinition, for session: ObjectIdentifier) async throws {
        guard let ghid = definition.address else { throw DaemonError.invalidRequest("an update needs the object's address") }
        let owner = try checkAccess(ghid, for: session)
        if owner == nil, definition.isPrivate {
            throw DaemonError.invalidRequest("a public object cannot be made private again (the cat is out of the bag)")
        }
        let apiID: ApiID
        if let known = apiIDs[ghid] {
            apiID = known
        } else {
            apiID = try await readOrPull(ghid).apiID
        }
        let change = try book.update(ghid, state: definition.state, apiID: apiID)
        flushUploads()
        if owner != nil, !definition.isPrivate {
            try store.write { try $0.setPrivateOwner(nil, of: ghid) }
        }
        accountChanged()
        let updated = AppObject(ghid: ghid, author: fingerprint, isDynamic: true, apiID: apiID, state: definition.state,
                                container: change.container ?? ghid)
        await notifyUpdate(updated, except: session)
    }

    func syncObject(_ ghid: Ghid, for session: ObjectIdentifier) async throws {
        _ = try checkAccess(ghid, for: session)
        guard try await pull(ghid) else { throw DaemonError.noRemote("no remote has \(ghid.base64)") }
        if case .object(let object) = try book.read(ghid) { await notifyUpdate(object, except: nil) }
    }

    func freeze(_ ghid: Ghid, for session: ObjectIdentifier) throws -> Ghid {
        _ = try checkAccess(ghid, for: session)
        let frozen = try book.freeze(ghid)
        flushUploads()
        return frozen
    }

    func hold(_ ghid: Ghid, for session: ObjectIdentifier) throws {
        _ = try checkAccess(ghid, for: session)
        try book.hold(ghid)
        flushUploads()
    }

    func discard(_ ghid: Ghid, for session: ObjectIdentifier) {
        sessions[session]?.tracked.remove(ghid)
        trackers[ghid]?.remove(session)
    }

    func delete(_ ghid: Ghid, for session: ObjectIdentifier) async throws {
        _ = try checkAccess(ghid, for: session)
        let change = try book.delete(ghid)
        try store.write { try $0.setPrivateOwner(nil, of: ghid) }
        flushUploads()
        accountChanged()
        for link in links { await link.unsubscribe(ghid) }
        await notifyRemoval(change.removed, except: session)
    }

    // MARK: - Reading with pulls

    /// Reads an object, fetching it (and its container) from the remotes when it is not here yet.
    func readOrPull(_ ghid: Ghid) async throws -> AppObject {
        for attempt in 0..<3 {
            switch try book.read(ghid) {
            case .object(let object):
                apiIDs[ghid] = object.apiID
                return object
            case .needsContainer(let container):
                guard try await pull(container) else { throw DaemonError.noRemote("no remote has the current state of \(ghid.base64)") }
            case .missing:
                guard attempt == 0, try await pull(ghid) else { throw DaemonError.unknownObject(ghid) }
            }
        }
        throw DaemonError.unknownObject(ghid)
    }

    // MARK: - Telling apps

    func track(_ ghid: Ghid, by session: ObjectIdentifier) {
        sessions[session]?.tracked.insert(ghid)
        trackers[ghid, default: []].insert(session)
    }

    /// `!O` to every app tracking the object, except the one that made the change.
    func notifyUpdate(_ object: AppObject, except session: ObjectIdentifier?) async {
        let definition = object.definition(isPrivate: false)
        for id in trackers[object.ghid] ?? [] where id != session {
            guard let connection = sessions[id]?.connection else { continue }
            await deliver(.updateObject, definition.serialized(), to: connection)
        }
    }

    /// `XO` to the apps tracking anything that was collected.
    func notifyRemoval(_ removed: [StoredObject], except session: ObjectIdentifier?) async {
        for object in removed where object.kind == .dynamicBinding || object.kind == .container {
            let ghid = object.address
            for id in trackers[ghid] ?? [] where id != session {
                guard let connection = sessions[id]?.connection else { continue }
                await deliver(.deleteObject, ghid.bytes, to: connection)
            }
            trackers[ghid] = nil
        }
    }

    /// `@O` from our own fingerprint: another local app made a public object of an API others registered.
    func announceLocally(_ ghid: Ghid, apiID: ApiID, except session: ObjectIdentifier) async {
        for id in registrations[apiID] ?? [] where id != session {
            guard let connection = sessions[id]?.connection else { continue }
            await announce(ghid, from: fingerprint, apiID: apiID, to: connection)
        }
    }

    func announce(_ ghid: Ghid, from origin: Ghid, apiID: ApiID, to connection: WireConnection) async {
        await deliver(.shareObject, ShareNotice.incoming(ghid, from: origin, apiID: apiID), to: connection)
    }

    /// Sends in order without waiting for the app's answer: a slow app never holds up the daemon.
    func deliver(_ code: RequestCode, _ body: [UInt8], to connection: WireConnection) async {
        do {
            try await connection.notify(code, body)
        } catch {
            logger.debug("could not deliver \(code) to a closed app connection")
        }
    }
}
