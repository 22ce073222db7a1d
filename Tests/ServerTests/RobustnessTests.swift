import Foundation
import Golix
import HypergolixServer
import HypergolixWire
import Logging
import NIOCore
import TestSupport
import Testing
import WSClient

/// Bad input never crashes the server: it closes the offending connection (or refuses the request) and
/// keeps serving everyone else.
@Suite struct RobustnessTests {
    /// Opens a raw WebSocket, sends `frames`, and reports whether the server closed it within 5 s.
    static func serverCloses(port: Int, after frames: [WebSocketOutboundWriter.OutboundFrame]) async throws -> Bool {
        var logger = Logger(label: "test.raw")
        logger.logLevel = .critical
        let closed = Flag()
        let client = Task {
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/some/path",
                configuration: .init(maxFrameSize: 12 << 20),
                logger: logger
            ) { inbound, outbound, _ in
                for frame in frames { try await outbound.write(frame) }
                // Drain until the server closes; iteration ends when it does.
                for try await _ in inbound {}
                await closed.set()
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while await !closed.value, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        client.cancel()
        return await closed.value
    }

    actor Flag {
        var value = false
        func set() { value = true }
    }

    @Test func malformedMessagesCloseOnlyTheirConnection() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let bystander = try await running.client()
        let ping = WireMessage(code: .ping, token: 1).serialized()
        #expect(try await Self.serverCloses(port: running.port, after: [.binary(ByteBuffer(bytes: [0, 0, 0x3F]))]))
        #expect(try await Self.serverCloses(port: running.port, after: [.binary(ByteBuffer(bytes: [0, 1] + ping.dropFirst(2)))]))
        #expect(try await Self.serverCloses(port: running.port, after: [.text("00??01")]))
        #expect(try await Self.serverCloses(port: running.port, after: [.binary(ByteBuffer())]))
        let tooBig = [UInt8](repeating: 0, count: WireMessage.maximumLength + 1)
        #expect(try await Self.serverCloses(port: running.port, after: [.binary(ByteBuffer(bytes: tooBig))]))
        #expect(try await bystander.ping())
    }

    @Test func unsolicitedPongsAreTolerated() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let client = try await running.client()
        let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                var logger = Logger(label: "test.raw")
                logger.logLevel = .critical
                let result = ResultBox()
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(running.port)/", logger: logger) { inbound, outbound, _ in
                    try await outbound.write(.pong)
                    try await outbound.write(.binary(ByteBuffer(bytes: WireMessage(code: .ping, token: 9).serialized())))
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .binary(let buffer) = message { await result.set(Array(buffer.readableBytesView)) }
                        break
                    }
                    try await outbound.close(.normalClosure, reason: nil)
                }
                return await result.bytes == WireMessage(code: .ack, token: 9, body: [1]).serialized()
            }
            return try await group.next() ?? false
        }
        #expect(answered)
        #expect(try await client.ping())
    }

    actor ResultBox {
        var bytes: [UInt8] = []
        func set(_ value: [UInt8]) { bytes = value }
    }

    @Test func abruptDisconnectsMidRequestAreHarmless() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let setup = try await running.client()
        try await setup.publish(People.alice.identity.serialized())
        for _ in 0..<20 {
            let client = try await running.client()
            let container = try People.alice.makeContainer([UInt8](repeating: 1, count: 200_000), secret: .random())
            _ = try await client.connection.send(.publish, People.alice.makeStaticBinding(target: container.ghid).serialized())
            _ = try await client.connection.send(.publish, container.serialized())
            await client.close()
        }
        #expect(try await setup.ping())
        let statistics = await running.server.statistics()
        #expect(statistics.connections >= 1)
    }

    @Test func aThousandIdleConnections() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        var clients = [PersistenceClient]()
        for _ in 0..<1000 {
            clients.append(try await running.client())
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while await running.server.statistics().connections < 1000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await running.server.statistics().connections == 1000)
        #expect(try await clients[0].ping())
        #expect(try await clients[999].ping())
        for client in clients { await client.close() }
        let drained = ContinuousClock.now + .seconds(10)
        while await running.server.statistics().connections > 0, ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await running.server.statistics().connections == 0, "closed connections are forgotten")
    }

    @Test func requestsFromAClosedConnectionFailCleanly() async throws {
        let running = try await RunningServer()
        let client = try await running.client()
        await running.stop()
        do {
            _ = try await client.ping()
            Issue.record("a ping to a stopped server succeeded")
        } catch {
            #expect(error == .connectionClosed || error == .timedOut)
        }
    }
}
