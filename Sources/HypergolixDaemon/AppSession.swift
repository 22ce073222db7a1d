import Golix
import HypergolixWire

/// Answers one app connection's requests (HYPERGOLIX-0.1-WIRE §3.2) by asking the daemon.
struct AppSession: WireResponder {
    let daemon: Daemon

    /// Token and registration changes apply in order; object operations run concurrently.
    static let ordered: Set<RequestCode> = [.setToken, .registerAPI, .deregisterAPI, .registerStartup, .deregisterStartup]

    func respond(to request: WireMessage, on connection: WireConnection) async throws(RemoteError) -> WireReply {
        do {
            return try await handle(request, connection)
        } catch let error as DaemonError {
            throw error.remoteError
        } catch let error as RemoteError {
            throw error
        } catch {
            throw RemoteError(IPCErrorCode.exception, "\(error)")
        }
    }

    private func handle(_ request: WireMessage, _ connection: WireConnection) async throws -> WireReply {
        let session = ObjectIdentifier(connection)
        let body = request.body
        switch request.code {
        case .setToken:
            guard let token = AppToken(bytes: body) else { throw DaemonError.invalidRequest("a token is 16 bytes") }
            return WireReply(try await daemon.setToken(token, for: session).bytes)
        case .registerAPI:
            return .ok(after: try await daemon.register(try Self.apiID(body), for: session))
        case .deregisterAPI:
            await daemon.deregister(try Self.apiID(body), for: session)
            return .ok
        case .whoami:
            return WireReply(daemon.fingerprint.bytes)
        case .getStartup:
            return WireReply(try await daemon.startupObject(for: session)?.bytes ?? [])
        case .registerStartup:
            try await daemon.setStartupObject(try Self.ghid(body), for: session)
            return .ok
        case .deregisterStartup:
            try await daemon.setStartupObject(nil, for: session)
            return .ok
        case .getObject:
            return WireReply(try await daemon.getObject(try Self.ghid(body), for: session).serialized())
        case .newObject:
            return WireReply(try await daemon.newObject(try ObjectDefinition(parsing: body), for: session).bytes)
        case .updateObject:
            try await daemon.updateObject(try ObjectDefinition(parsing: body), for: session)
            return .ok
        case .syncObject:
            try await daemon.syncObject(try Self.ghid(body), for: session)
            return .ok
        case .shareObject:
            guard let (ghid, recipient) = ShareNotice.parseRequest(body) else {
                throw DaemonError.invalidRequest("a share request is an object ghid and a recipient fingerprint")
            }
            try await daemon.share(ghid, with: recipient, for: session)
            return .ok
        case .freezeObject:
            return WireReply(try await daemon.freeze(try Self.ghid(body), for: session).bytes)
        case .holdObject:
            try await daemon.hold(try Self.ghid(body), for: session)
            return .ok
        case .discardObject:
            await daemon.discard(try Self.ghid(body), for: session)
            return .ok
        case .deleteObject:
            try await daemon.delete(try Self.ghid(body), for: session)
            return .ok
        default:
            throw RemoteError(IPCErrorCode.exception, "unknown request code \(request.code)")
        }
    }

    static func ghid(_ body: [UInt8]) throws -> Ghid {
        guard let ghid = Ghid(bytes: body) else { throw DaemonError.invalidRequest("expected a 65-byte ghid, got \(body.count) bytes") }
        return ghid
    }

    static func apiID(_ body: [UInt8]) throws -> ApiID {
        guard let apiID = ApiID(bytes: body) else { throw DaemonError.invalidRequest("an API id is 65 bytes starting with 0") }
        return apiID
    }
}

extension WireReply {
    /// `01`, then `work` once the answer is out (for deliveries the app must see after its own request).
    static func ok(after work: (@Sendable () async -> Void)?) -> WireReply {
        WireReply([1], afterwards: work)
    }
}
