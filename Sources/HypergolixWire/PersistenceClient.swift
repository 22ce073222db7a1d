import Golix
import Logging

/// A client of a persistence server (HYPERGOLIX-0.1-WIRE §2.1): typed requests over one connection.
public struct PersistenceClient: Sendable {
    public let connection: WireConnection

    public init(connection: WireConnection) {
        self.connection = connection
    }

    /// Connects to `ws://host:port/`; subscription updates (`!!`) go to `onUpdate`.
    public static func connect(
        host: String,
        port: Int,
        tls: Bool = false,
        logger: Logger = Logger(label: "hypergolix.remote"),
        onUpdate: @escaping @Sendable (_ subscription: Ghid, _ object: [UInt8]) async throws(RemoteError) -> Void = { _, _ in }
    ) async throws -> PersistenceClient {
        let connection = try await WebSocketConnector.connect(
            url: "\(tls ? "wss" : "ws")://\(host):\(port)/",
            responder: UpdateResponder(onUpdate: onUpdate),
            unknownRequestCode: PersistenceErrorCode.commsError.rawValue,
            logger: logger,
            isOrdered: { $0 == .subscriptionUpdate }
        )
        return PersistenceClient(connection: connection)
    }

    public func ping() async throws(WireError) -> Bool {
        try await connection.request(.ping) == [1]
    }

    /// `PB`. Succeeds for new and already-stored objects alike.
    public func publish(_ object: [UInt8]) async throws(WireError) {
        _ = try await connection.request(.publish, object)
    }

    /// `GT`: the object; a dynamic ghid gives its current frame.
    public func get(_ ghid: Ghid) async throws(WireError) -> [UInt8] {
        try await connection.request(.get, ghid.bytes)
    }

    public func subscribe(_ ghid: Ghid) async throws(WireError) {
        _ = try await connection.request(.subscribe, ghid.bytes)
    }

    /// Returns whether it was subscribed.
    public func unsubscribe(_ ghid: Ghid) async throws(WireError) -> Bool {
        try await connection.request(.unsubscribe, ghid.bytes) == [1]
    }

    public func subscriptions() async throws(WireError) -> [Ghid] {
        try Ghidlist.parse(try await connection.request(.querySubscriptions))
    }

    public func bindings(of ghid: Ghid) async throws(WireError) -> [Ghid] {
        try Ghidlist.parse(try await connection.request(.queryBindings, ghid.bytes))
    }

    public func debindings(of ghid: Ghid) async throws(WireError) -> [Ghid] {
        try Ghidlist.parse(try await connection.request(.queryDebindings, ghid.bytes))
    }

    public func exists(_ ghid: Ghid) async throws(WireError) -> Bool {
        try await connection.request(.queryExistence, ghid.bytes) == [1]
    }

    /// `XX`: drops this connection's subscriptions (the socket stays open).
    public func disconnect() async throws(WireError) {
        _ = try await connection.request(.disconnect)
    }

    public func close() async {
        await connection.close()
    }
}

/// Hands `!!` pushes to the client's handler; nothing else is expected from a server.
struct UpdateResponder: WireResponder {
    let onUpdate: @Sendable (Ghid, [UInt8]) async throws(RemoteError) -> Void

    func respond(to request: WireMessage, on connection: WireConnection) async throws(RemoteError) -> WireReply {
        guard request.code == .subscriptionUpdate else { throw connection.unknownRequest(request.code) }
        guard request.body.count > Ghid.byteCount, let subscription = Ghid(bytes: request.body.prefix(Ghid.byteCount)) else {
            throw RemoteError(.valueError, "a subscription update is a ghid followed by an object")
        }
        try await onUpdate(subscription, Array(request.body.dropFirst(Ghid.byteCount)))
        return .ok
    }
}
