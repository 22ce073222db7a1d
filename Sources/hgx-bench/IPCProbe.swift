import Foundation
import Golix
import HypergolixWire
import Logging

/// A minimal app on a daemon's IPC port for the benchmark: sends requests, and reports `!O` arrivals.
final class IPCProbe: Sendable {
    let connection: WireConnection
    let arrivals: Arrivals

    actor Arrivals {
        private var waiting: [[UInt8]: CheckedContinuation<ContinuousClock.Instant, Never>] = [:]
        private var early: [[UInt8]: ContinuousClock.Instant] = [:]
        private(set) var shares: [Ghid] = []

        func arrived(_ state: [UInt8]) {
            let now = ContinuousClock.now
            if let waiter = waiting.removeValue(forKey: state) { waiter.resume(returning: now) } else { early[state] = now }
        }

        func shared(_ ghid: Ghid) { shares.append(ghid) }

        /// When an update with `state` arrived (waiting for it if need be).
        func arrival(of state: [UInt8]) async -> ContinuousClock.Instant {
            if let instant = early.removeValue(forKey: state) { return instant }
            return await withCheckedContinuation { waiting[state] = $0 }
        }
    }

    struct Responder: WireResponder {
        let arrivals: Arrivals
        func respond(to request: WireMessage, on connection: WireConnection) async throws(RemoteError) -> WireReply {
            switch request.code {
            case .updateObject:
                if let definition = try? ObjectDefinition(parsing: request.body) { await arrivals.arrived(definition.state) }
                return .ok
            case .shareObject:
                if let share = ShareNotice.parseIncoming(request.body) { await arrivals.shared(share.ghid) }
                return .ok
            case .shareSucceeded, .shareFailed:
                return WireReply([])
            default:
                return .ok
            }
        }
    }

    init(port: Int) async throws {
        var logger = Logger(label: "bench.ipc")
        logger.logLevel = .critical
        let arrivals = Arrivals()
        self.arrivals = arrivals
        connection = try await WebSocketConnector.connect(
            url: "ws://localhost:\(port)/", responder: Responder(arrivals: arrivals),
            unknownRequestCode: IPCErrorCode.exception.rawValue, logger: logger)
    }

    func whoami() async throws -> Ghid {
        guard let ghid = Ghid(bytes: try await connection.request(.whoami)) else { throw BenchFailure("bad whoami") }
        return ghid
    }

    func new(_ state: [UInt8], apiID: ApiID) async throws -> Ghid {
        let body = ObjectDefinition(isDynamic: true, legroom: 7, apiID: apiID, state: state).serialized()
        guard let ghid = Ghid(bytes: try await connection.request(.newObject, body)) else { throw BenchFailure("bad +O answer") }
        return ghid
    }

    func update(_ ghid: Ghid, _ state: [UInt8]) async throws {
        _ = try await connection.request(.updateObject, ObjectDefinition(address: ghid, state: state).serialized())
    }

    func share(_ ghid: Ghid, with recipient: Ghid) async throws {
        _ = try await connection.request(.shareObject, ShareNotice.request(ghid, with: recipient))
    }

    func register(_ apiID: ApiID) async throws {
        _ = try await connection.request(.registerAPI, apiID.bytes)
    }

    func get(_ ghid: Ghid) async throws {
        _ = try await connection.request(.getObject, ghid.bytes)
    }

    func close() async { await connection.close() }
}
