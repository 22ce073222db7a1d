import Foundation
import Golix
import HypergolixWire
import Logging
import TestSupport

/// A minimal app speaking the IPC protocol directly, recording what the daemon tells it.
final class TestApp: Sendable {
    let connection: WireConnection
    let inbox: AppInbox

    actor AppInbox {
        var updates: [ObjectDefinition] = []
        var deletions: [Ghid] = []
        var shares: [(ghid: Ghid, origin: Ghid, apiID: ApiID)] = []
        var shareResults: [(code: RequestCode, ghid: Ghid, recipient: Ghid)] = []

        func record(_ request: WireMessage) -> [UInt8] {
            switch request.code {
            case .updateObject:
                if let definition = try? ObjectDefinition(parsing: request.body) { updates.append(definition) }
                return [1]
            case .deleteObject:
                if let ghid = Ghid(bytes: request.body) { deletions.append(ghid) }
                return [1]
            case .shareObject:
                if let share = ShareNotice.parseIncoming(request.body) { shares.append(share) }
                return [1]
            case .shareSucceeded, .shareFailed:
                if let result = ShareNotice.parseResult(request.body) { shareResults.append((request.code, result.ghid, result.recipient)) }
                return []
            default:
                return [1]
            }
        }
    }

    struct Responder: WireResponder {
        let inbox: AppInbox
        func respond(to request: WireMessage, on connection: WireConnection) async throws(RemoteError) -> WireReply {
            WireReply(await inbox.record(request))
        }
    }

    init(connection: WireConnection, inbox: AppInbox) {
        self.connection = connection
        self.inbox = inbox
    }

    static func connect(port: Int) async throws -> TestApp {
        var logger = Logger(label: "test.app")
        logger.logLevel = .critical
        let inbox = AppInbox()
        let connection = try await WebSocketConnector.connect(
            url: "ws://127.0.0.1:\(port)/", responder: Responder(inbox: inbox),
            unknownRequestCode: IPCErrorCode.exception.rawValue, logger: logger)
        return TestApp(connection: connection, inbox: inbox)
    }

    func request(_ code: RequestCode, _ body: [UInt8] = []) async throws(WireError) -> [UInt8] {
        try await connection.request(code, body, timeout: .seconds(30))
    }

    /// The NK code a request is refused with, or nil if it succeeds.
    func refusal(_ code: RequestCode, _ body: [UInt8] = []) async -> UInt16? {
        do {
            _ = try await request(code, body)
            return nil
        } catch {
            return error.code ?? 0xDEAD
        }
    }

    func whoami() async throws -> Ghid { try require2(Ghid(bytes: try await request(.whoami))) }

    func setToken(_ token: AppToken = .null) async throws -> AppToken {
        try require2(AppToken(bytes: try await request(.setToken, token.bytes)))
    }

    func new(_ state: String, apiID: ApiID = .json, dynamic: Bool = true, isPrivate: Bool = false, legroom: UInt8 = 7) async throws -> Ghid {
        let definition = ObjectDefinition(isPrivate: isPrivate, isDynamic: dynamic, legroom: legroom, apiID: apiID, state: Array(state.utf8))
        return try require2(Ghid(bytes: try await request(.newObject, definition.serialized())))
    }

    func get(_ ghid: Ghid) async throws -> ObjectDefinition {
        try ObjectDefinition(parsing: try await request(.getObject, ghid.bytes))
    }

    func update(_ ghid: Ghid, _ state: String, isPrivate: Bool = false) async throws {
        let definition = ObjectDefinition(address: ghid, isPrivate: isPrivate, state: Array(state.utf8))
        _ = try await request(.updateObject, definition.serialized())
    }

    func share(_ ghid: Ghid, with recipient: Ghid) async throws {
        _ = try await request(.shareObject, ShareNotice.request(ghid, with: recipient))
    }

    func register(_ apiID: ApiID) async throws {
        _ = try await request(.registerAPI, apiID.bytes)
    }

    func close() async { await connection.close() }
}

struct Missing: Error {}

/// `#require` for helpers outside a test body.
func require2<T>(_ value: T?) throws -> T {
    guard let value else { throw Missing() }
    return value
}

