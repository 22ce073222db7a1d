import Foundation
import Golix
import HypergolixWire
import Persistence

/// Sharing by handshake requests (HYPERGOLIX-0.1-WIRE §5), wire-compatible with the original, with its
/// defect fixed: the recipient tries the handshake's secret against every container the object's history
/// names, ratcheting forward, rather than only the current one (§7.12).
extension Daemon {
    func share(_ ghid: Ghid, with recipient: Ghid, for session: ObjectIdentifier) async throws {
        if try checkAccess(ghid, for: session) != nil { throw DaemonError.unsharable("private objects stay with their app") }
        let recipientIdentity = try await knownIdentity(recipient)
        let object = try await readOrPull(ghid)
        guard let secret = try store.read({ try $0.secret(for: object.container, vault: book.vault) }) else {
            throw DaemonError.unknownSecret(ghid)
        }
        let request = try identity.makeRequest(.handshake(target: ghid, secret: secret), to: recipientIdentity)
        let token = sessions[session]?.token
        try store.write { tx in
            try tx.addOutgoingShare(.init(request: request.ghid, ghid: ghid, recipient: recipient, token: token))
            try book.ingest([.request(request)], in: tx)
        }
        accountChanged()
        flushUploads()
    }

    /// An identity we know, or fetch.
    func knownIdentity(_ ghid: Ghid) async throws -> Identity {
        if let known = try? store.librarian.identity(ghid) { return known }
        for link in await connectedLinks() {
            if (try? await fetchIdentity(ghid, from: link)) != nil, let known = try? store.librarian.identity(ghid) {
                return known
            }
        }
        throw DaemonError.unsharable("\(ghid.base64) is not a known identity here or on any remote")
    }

    /// A request addressed to us: a handshake to accept, or the answer to one of ours.
    func receive(_ request: Request, from link: RemoteLink) async {
        defer { debind(request) }
        let plaintext: RequestPlaintext
        do {
            let sealed = try identity.decrypt(request)
            let author = try await knownIdentity(sealed.author)
            plaintext = try identity.open(request, from: author)
        } catch {
            logger.warning("dropped an unreadable request \(request.ghid): \(error)")
            return
        }
        switch plaintext.payload {
        case .handshake(let target, let secret):
            let accepted: Bool
            do {
                try await accept(target, secret: secret, from: link)
                accepted = true
            } catch {
                logger.warning("could not accept a share of \(target) from \(plaintext.author): \(error)")
                accepted = false
            }
            await answer(request, to: plaintext.author, accepted: accepted)
            if accepted { await distribute(target, from: plaintext.author) }
        case .ack(let target, _), .nak(let target, _):
            if let share = try? store.write({ try $0.takeOutgoingShare(target) }) {
                accountChanged()
                await reportShare(share, succeeded: plaintext.payload.isAcknowledgement)
            }
        }
    }

    /// Finds the container the secret belongs to and keeps the secret (and those it ratchets to).
    func accept(_ target: Ghid, secret: Secret, from link: RemoteLink) async throws {
        guard try await pull(target) else { throw DaemonError.unknownObject(target) }
        guard let bytes = try store.librarian.summary(target).flatMap({ _ in try store.read { try $0.objects.bytes(target) } }) else {
            throw DaemonError.unknownObject(target)
        }
        switch try GolixObject(parsing: bytes) {
        case .container(let container):
            guard try book.opens(secret, container.ghid) else { throw DaemonError.unknownSecret(target) }
            try book.storeSecret(secret, for: container.ghid)
        case .dynamicBinding(let frame):
            // The secret is for some container in the history (the one current when it was sent): ratchet it
            // forward from each position until it opens the current container.
            let vector = frame.targetVector
            for position in vector.indices {
                var candidate = secret
                for index in stride(from: position, to: 0, by: -1) {
                    candidate = candidate.ratcheted(previousContainer: vector[index], dynamic: frame.dynamicGhid)
                }
                if try book.opens(candidate, frame.target) {
                    try book.storeSecret(secret, for: vector[position])
                    try book.storeSecret(candidate, for: frame.target)
                    await follow(frame.dynamicGhid)
                    accountChanged()
                    return
                }
            }
            throw DaemonError.unknownSecret(target)
        default:
            throw DaemonError.invalidRequest("a share must name an object")
        }
    }

    /// AK or NK back to the sharer.
    func answer(_ request: Request, to author: Ghid, accepted: Bool) async {
        do {
            let authorIdentity = try await knownIdentity(author)
            let payload: RequestPayload = accepted ? .ack(target: request.ghid, status: 0) : .nak(target: request.ghid, status: 0)
            let reply = try identity.makeRequest(payload, to: authorIdentity)
            _ = try store.write { tx in try book.ingest([.request(reply)], in: tx) }
            flushUploads()
        } catch {
            logger.error("could not answer \(author)'s request: \(error)")
        }
    }

    /// Tells the apps of the object's API about a share, or keeps it until one registers (§7.14).
    func distribute(_ ghid: Ghid, from origin: Ghid) async {
        guard case .object(let object)? = try? book.read(ghid) else { return }
        let recipients = (registrations[object.apiID] ?? []).union(trackers[ghid] ?? [])
        if recipients.isEmpty {
            _ = try? store.write { try $0.addIncomingShare(.init(ghid: ghid, origin: origin, apiID: object.apiID)) }
            accountChanged()
            return
        }
        for id in recipients {
            guard let connection = sessions[id]?.connection else { continue }
            await announce(ghid, from: origin, apiID: object.apiID, to: connection)
        }
    }

    /// `^S` / `^F` to the app that asked for the share, if it is connected.
    func reportShare(_ share: LocalTransaction.OutgoingShare, succeeded: Bool) async {
        guard let token = share.token, let id = tokenHolders[token], let connection = sessions[id]?.connection else { return }
        await deliver(succeeded ? .shareSucceeded : .shareFailed, ShareNotice.result(share.ghid, recipient: share.recipient), to: connection)
    }

    /// Requests are debound once handled, so remotes can drop them.
    func debind(_ request: Request) {
        do {
            let debinding = try identity.makeDebinding(target: request.ghid)
            _ = try store.write { tx in try book.ingest([.debinding(debinding)], in: tx) }
            flushUploads()
        } catch {
            logger.debug("could not debind request \(request.ghid): \(error)")
        }
    }
}

extension RequestPayload {
    var isAcknowledgement: Bool {
        if case .ack = self { return true }
        return false
    }
}
