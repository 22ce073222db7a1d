import Foundation
import Golix
import HypergolixWire
import Persistence

/// The daemon's side of the persistence protocol: bootstrapping links, taking pushes, pulling objects.
extension Daemon: RemoteLinkDelegate {
    nonisolated func bootstrap(for link: RemoteLink) async -> (identity: [UInt8], subscriptions: [Ghid]) {
        let followed = (try? store.read { try $0.followed() }) ?? []
        // The account root too: other devices of the account publish it.
        return (identity.identity.serialized(), [identity.ghid, userID] + followed)
    }

    /// Fetches the account root and every followed object from a link that just connected, and takes in
    /// whatever is newer than what is here, as if it had been pushed.
    nonisolated func linkConnected(_ link: RemoteLink) async {
        let followed = (try? store.read { try $0.followed() }) ?? []
        for ghid in [userID] + followed {
            guard !Task.isCancelled else { return }
            var missed = [[UInt8]]()
            do {
                missed.append(try await link.get(ghid))
            } catch WireError.remote(let refusal) where refusal.persistenceCode == .doesNotExist {
                // Gone from the remote: if it was deleted while we were away, its debinding is still there.
                for debinding in (try? await link.debindings(of: ghid)) ?? [] {
                    if let bytes = try? await link.get(debinding) { missed.append(bytes) }
                }
            } catch {
                continue
            }
            for bytes in missed {
                do {
                    try await handleRemoteUpdate(ghid, bytes, from: link)
                } catch {
                    logger.debug("catching up on \(ghid) from \(link.name): \(error)")
                }
            }
        }
    }

    nonisolated func remoteUpdate(_ subscription: Ghid, _ object: [UInt8], from link: RemoteLink) async throws(RemoteError) {
        do {
            try await handleRemoteUpdate(subscription, object, from: link)
        } catch let error as DaemonError {
            logger.info("refused a push for \(subscription): \(error)")
            throw error.remoteError
        } catch {
            throw RemoteError(IPCErrorCode.exception, "\(error)")
        }
    }

    nonisolated func uploadRefused(_ object: [UInt8], _ error: RemoteError, by link: RemoteLink) async {
        await handleRefusal(object, error)
    }

    func handleRemoteUpdate(_ subscription: Ghid, _ bytes: [UInt8], from link: RemoteLink) async throws {
        let (object, outcome) = try await ingest(bytes, from: link)
        if subscription == fingerprint {
            if case .request(let request) = object, outcome.isNew {
                await receive(request, from: link)
            }
            return
        }
        if subscription == userID {
            if case .dynamicBinding(let frame) = object, outcome.isNew {
                try await adoptAccountFrame(frame, container: try await link.get(frame.target), from: link)
            }
            return
        }
        switch object {
        case .dynamicBinding(let frame) where outcome.isNew:
            if case .needsContainer(let container) = try book.read(frame.dynamicGhid) {
                do {
                    try await ingest(try await link.get(container), from: link)
                } catch WireError.remote(let refusal) where refusal.persistenceCode == .doesNotExist {
                    // A newer frame already replaced this one and its container was collected: what the
                    // writer wants readers to see now is the newest state, so fetch that instead.
                    _ = try await pull(frame.dynamicGhid)
                }
            }
            if case .object(let updated) = try book.read(frame.dynamicGhid) {
                await notifyUpdate(updated, except: nil)
            }
        case .debinding:
            await notifyRemoval(outcome.removed, except: nil)
        default:
            break
        }
    }

    /// Ingests an object from a remote, fetching its signer's identity first if it is new to us.
    @discardableResult
    func ingest(_ bytes: [UInt8], from link: RemoteLink) async throws -> (GolixObject, IngestOutcome) {
        do {
            return try book.ingestRemote(bytes)
        } catch DaemonError.persistence(.invalidIdentity(let signer)) {
            try await fetchIdentity(signer, from: link)
            return try book.ingestRemote(bytes)
        }
    }

    func fetchIdentity(_ ghid: Ghid, from link: RemoteLink) async throws {
        let bytes = try await link.get(ghid)
        guard case .identity = try GolixObject(parsing: bytes) else { throw DaemonError.invalidRequest("\(ghid.base64) is not an identity") }
        do {
            _ = try store.librarian.publish(bytes)
        } catch {
            throw DaemonError.persistence(error)
        }
    }

    /// Fetches an object (with what it needs to be accepted here: its signer, its bindings, its container)
    /// from the first remote that has it. False if none has.
    func pull(_ ghid: Ghid) async throws -> Bool {
        var available = await connectedLinks()
        if available.isEmpty, !links.isEmpty {
            // Just started, or a remote blipped: give the links a moment before calling the object missing.
            _ = await waitForRemotes(timeout: Self.remoteGracePeriod)
            available = await connectedLinks()
        }
        for link in available {
            do {
                let bytes = try await link.get(ghid)
                switch try GolixObject(parsing: bytes) {
                case .container(let container):
                    // A container is accepted only when bound: fetch its bindings first.
                    if try store.librarian.summary(container.ghid) == nil {
                        for binding in try await link.bindings(of: container.ghid) {
                            try await ingest(try await link.get(binding), from: link)
                        }
                    }
                    try await ingest(bytes, from: link)
                case .dynamicBinding(let frame):
                    try await ingest(bytes, from: link)
                    if try store.librarian.summary(frame.target) == nil {
                        try await ingest(try await link.get(frame.target), from: link)
                    }
                default:
                    try await ingest(bytes, from: link)
                }
                return true
            } catch let error as WireError {
                logger.debug("\(link.name) could not provide \(ghid): \(error)")
            } catch DaemonError.persistence(.alreadyDebound) {
                return false
            }
        }
        return false
    }

    /// Follows a dynamic object on every remote, now and after every reconnect.
    func follow(_ ghid: Ghid) async {
        do {
            try store.write { try $0.follow(ghid) }
        } catch {
            logger.error("cannot record a followed object: \(error)")
        }
        for link in links { await link.subscribe(ghid) }
    }

    /// Another device of this account advanced the object first (`00 09`): drop our refused frame, take the
    /// remote's, and push our state again on top of it, so the last writer wins and nothing forks.
    func resolveConflict(_ refused: DynamicBinding) async {
        let dynamic = refused.dynamicGhid
        logger.notice("frame \(refused.counter) of \(dynamic) lost a race with another device; rebasing")
        do {
            guard case .object(let ours) = try book.read(dynamic), ours.container == refused.target else { return }
            guard let winner = try await winningFrame(over: refused) else { return }
            try book.discardFrame(refused)
            try await ingest(winner.frame, from: winner.link)
            try await ingest(winner.container, from: winner.link)
            if case .object(let theirs) = try book.read(dynamic) { await notifyUpdate(theirs, except: nil) }
            let change = try book.update(dynamic, state: ours.state, apiID: ours.apiID)
            flushUploads()
            accountChanged()
            await notifyUpdate(AppObject(ghid: dynamic, author: fingerprint, isDynamic: true, apiID: ours.apiID,
                                         state: ours.state, container: change.container ?? dynamic), except: nil)
        } catch {
            logger.error("could not rebase \(dynamic) after a conflict: \(error)")
        }
    }

    /// The frame that beat `refused`, with its container, from the first connected remote that has both.
    func winningFrame(over refused: DynamicBinding) async throws -> (frame: [UInt8], container: [UInt8], link: RemoteLink)? {
        for link in await connectedLinks() {
            guard let frameBytes = try? await link.get(refused.dynamicGhid), case .dynamicBinding(let frame) = try GolixObject(parsing: frameBytes),
                frame.counter >= refused.counter, let container = try? await link.get(frame.target)
            else { continue }
            return (frameBytes, container, link)
        }
        return nil
    }

    /// A remote refused one of our uploads for good.
    func handleRefusal(_ bytes: [UInt8], _ error: RemoteError) async {
        guard let object = try? GolixObject(parsing: bytes) else { return }
        switch (object, error.persistenceCode) {
        case (.dynamicBinding(let frame), .illegalDynamicFrame) where frame.binder == fingerprint && frame.dynamicGhid == userID:
            await resolveAccountConflict(frame)
        case (.dynamicBinding(let frame), .illegalDynamicFrame) where frame.binder == fingerprint:
            await resolveConflict(frame)
        case (.request(let request), _):
            if let share = try? store.write({ try $0.takeOutgoingShare(request.ghid) }) {
                await reportShare(share, succeeded: false)
            }
        default:
            logger.info("upload of \(object.kind.rawValue) \(object.ghid) refused: \(error)")
        }
    }
}
