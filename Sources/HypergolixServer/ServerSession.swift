import Golix
import HypergolixWire
import Logging
import Persistence

/// Answers one client connection's requests (HYPERGOLIX-0.1-WIRE §2.1).
struct ServerSession: WireResponder {
    let librarian: Librarian
    let ingestor: Ingestor
    let postOffice: PostOffice
    let logger: Logger

    /// Requests that change state run in arrival order per connection; reads run alongside.
    static let ordered: Set<RequestCode> = [.publish, .subscribe, .unsubscribe, .disconnect]

    func respond(to request: WireMessage, on connection: WireConnection) async throws(RemoteError) -> WireReply {
        switch request.code {
        case .ping:
            return .ok
        case .publish:
            do {
                // Parsing and signature checks run here, concurrently; only the write is serialised.
                let object = try librarian.admit(request.body)
                _ = try await ingestor.ingest(object, bytes: request.body, from: connection)
                return .ok
            } catch {
                logger.debug("refused a publish: \(error)")
                throw RemoteError(error)
            }
        case .get:
            let ghid = try Self.ghid(request.body)
            do {
                return WireReply(try librarian.retrieve(ghid))
            } catch {
                throw RemoteError(error)
            }
        case .subscribe:
            let ghid = try Self.ghid(request.body)
            await postOffice.subscribe(connection, to: ghid)
            let stored: [Ghid]
            do {
                stored = try librarian.requests(for: ghid)
            } catch {
                throw RemoteError(error)
            }
            // Requests waiting for this recipient are pushed again, after the subscription is confirmed.
            return WireReply([1]) { [librarian, postOffice] in
                for request in stored {
                    guard let bytes = try? librarian.retrieve(request) else { continue }
                    await postOffice.deliver(ghid, object: bytes, to: connection)
                }
            }
        case .unsubscribe:
            let ghid = try Self.ghid(request.body)
            return WireReply(await postOffice.unsubscribe(connection, from: ghid) ? [1] : [0])
        case .querySubscriptions:
            return WireReply(Ghidlist.serialize(await postOffice.subscriptions(of: connection).sorted()))
        case .queryBindings:
            let ghid = try Self.ghid(request.body)
            do {
                return WireReply(Ghidlist.serialize(try librarian.bindings(of: ghid)))
            } catch {
                throw RemoteError(error)
            }
        case .queryDebindings:
            let ghid = try Self.ghid(request.body)
            do {
                return WireReply(Ghidlist.serialize(try librarian.debindings(of: ghid)))
            } catch {
                throw RemoteError(error)
            }
        case .queryExistence:
            let ghid = try Self.ghid(request.body)
            do {
                return WireReply(try librarian.exists(ghid) ? [1] : [0])
            } catch {
                throw RemoteError(error)
            }
        case .disconnect:
            await postOffice.unsubscribeAll(connection)
            return .ok
        default:
            throw connection.unknownRequest(request.code)
        }
    }

    /// A body that must be one ghid; anything else is the original's `ValueError` (FF FE).
    static func ghid(_ body: [UInt8]) throws(RemoteError) -> Ghid {
        guard let ghid = Ghid(bytes: body) else {
            throw RemoteError(.valueError, "expected a 65-byte ghid, got \(body.count) bytes")
        }
        return ghid
    }
}
