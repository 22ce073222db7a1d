import Logging
import NIOCore
import NIOPosix
import TestSupport
import Testing

@testable import Mesh

/// Links that are not what they should be: garbage, silence, hostility, mistakes.
@Suite(.timeLimit(.minutes(2))) struct LinkHygieneTests {
    let stranger = NodeID(high: 0x5742_4E47_4552, low: 1)!

    /// The node still links and floods normally after whatever the test did to it.
    func expectStillWorking(_ mesh: TestMesh, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        // Tests here shorten the handshake timeout, which a loaded machine can miss for an honest peer too.
        for attempt in 1... {
            do {
                try await mesh.link(1, 0)
                break
            } catch MeshError.handshakeFailed(_, let why) where attempt < 5 {
                print("retrying the link after: \(why)")
            }
        }
        try await mesh.waitForConvergence([(0, 1)], sourceLocation: sourceLocation)
        let inbox = await Inbox.subscribe(mesh[1], to: "check")
        try await mesh[0].broadcast(type: "check", payload: ByteBuffer(string: "ok"))
        await eventually("a broadcast still arrives", sourceLocation: sourceLocation) { await inbox.texts == ["ok"] }
    }

    @Test func garbageInsteadOfIAmIsDropped() async throws {
        try await TestMesh.with(2) { mesh in
            let received = try await RawPeer.with(port: mesh.ports[0]) { peer in
                try await peer.send(Array("hello there\r\n".utf8))
                return await peer.readUntilClosed()
            }
            // The node introduced itself, then hung up.
            var bytes = try #require(received, "the node kept the connection open")
            let iAm = try MeshFrameDecoder.nextFrame(from: &bytes, maximumFrameSize: 1024)
            #expect(iAm == .iAm(mesh.ids[0]))
            #expect(await mesh[0].linkInfos.isEmpty)
            try await expectStillWorking(mesh)
        }
    }

    @Test func garbageAfterTheHandshakeDropsTheLink() async throws {
        try await TestMesh.with(2) { mesh in
            let stranger = self.stranger
            let node = mesh[0]
            let closed = try await RawPeer.with(port: mesh.ports[0]) { peer in
                try await peer.send(.iAm(stranger))
                await eventually("the stranger is linked") { await node.topology.directPeers == [stranger] }
                try await peer.send([0, 0, 0, 3, 0xEE, 0xEE, 0xEE])
                return await peer.readUntilClosed() != nil
            }
            #expect(closed)
            await eventually("the stranger is forgotten") { await node.topology.directPeers.isEmpty }
            try await expectStillWorking(mesh)
        }
    }

    @Test(arguments: [
        ("oversize length", [0x7F, 0xFF, 0xFF, 0xFF] as [UInt8]),
        ("empty frame", [0, 0, 0, 0]),
        ("second I-AM", [0, 0, 0, 22, 1] + Array("MESH".utf8) + [1] + Array(repeating: 7, count: 16)),
        ("invalid UTF-8 type", [0, 0, 0, 12, 2, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0xC3, 0x28]),
    ])
    func protocolViolationsDropTheLink(_ name: String, _ bytes: [UInt8]) async throws {
        try await TestMesh.with(2) { mesh in
            let stranger = self.stranger
            let node = mesh[0]
            let closed = try await RawPeer.with(port: mesh.ports[0]) { peer in
                try await peer.send(.iAm(stranger))
                await eventually("the stranger is linked") { await node.topology.directPeers == [stranger] }
                try await peer.send(bytes)
                return await peer.readUntilClosed() != nil
            }
            #expect(closed, "\(name) did not close the link")
            await eventually("the stranger is forgotten") { await node.topology.directPeers.isEmpty }
        }
    }

    @Test func aSilentConnectionIsClosedAfterTheHandshakeTimeout() async throws {
        var configuration = TestMesh.testConfiguration
        configuration.handshakeTimeout = .seconds(1)
        try await TestMesh.with(2, configuration: configuration) { mesh in
            let closed = try await RawPeer.with(port: mesh.ports[0]) { peer in
                await peer.readUntilClosed() != nil
            }
            #expect(closed)
            try await expectStillWorking(mesh)
        }
    }

    @Test func aPeerThatStopsReadingIsDropped() async throws {
        var configuration = TestMesh.testConfiguration
        configuration.maximumPendingBytesPerLink = 64 << 10
        try await TestMesh.with(2, configuration: configuration) { mesh in
            let stranger = self.stranger
            let node = mesh[0]
            try await RawPeer.with(port: mesh.ports[0]) { peer in
                try await peer.send(.iAm(stranger))
                await eventually("the stranger is linked") { await node.topology.directPeers == [stranger] }
                // The peer never reads. Flood until the kernel's buffers and then the node's
                // bounded queue fill up; 512 MiB is far more than loopback buffers ever hold.
                let payload = ByteBuffer(repeating: 0x2A, count: 32 << 10)
                var sent = 0
                while sent < 16_384, await node.topology.directPeers.contains(stranger) {
                    for _ in 0..<32 {
                        try await node.broadcast(type: "flood", payload: payload)
                    }
                    sent += 32
                    await Task.yield()
                }
                await eventually("the stranger is dropped") { await node.topology.directPeers.isEmpty }
            }
            try await expectStillWorking(mesh)
        }
    }

    @Test func connectingToItselfFails() async throws {
        try await TestMesh.with(1) { mesh in
            await #expect(throws: MeshError.connectedToSelf(Endpoint(host: "127.0.0.1", port: mesh.ports[0]))) {
                try await mesh[0].connect(host: "127.0.0.1", port: mesh.ports[0])
            }
            #expect(await mesh[0].dialledEndpoints.isEmpty)
            #expect(await mesh[0].linkInfos.isEmpty)
        }
    }

    @Test func connectingToAClosedPortFails() async throws {
        let closed = try ReservedPort()
        try await TestMesh.with(1) { mesh in
            await #expect {
                try await mesh[0].connect(host: "127.0.0.1", port: closed.port)
            } throws: { error in
                guard case MeshError.connectFailed(let endpoint, let reason) = error else { return false }
                return endpoint.port == closed.port && reason == "Connection refused"
            }
            #expect(await mesh[0].dialledEndpoints.isEmpty)
        }
    }

    @Test func connectingToSomethingElseFails() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Greeter())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        try await TestMesh.with(1) { mesh in
            await #expect {
                try await mesh[0].connect(host: "127.0.0.1", port: port)
            } throws: { error in
                guard case MeshError.handshakeFailed(_, let reason) = error else { return false }
                return reason.contains("exceeds the limit")
            }
        }
        try await server.close()
    }

    @Test func dialingTheSameEndpointTwiceFails() async throws {
        try await TestMesh.with(2) { mesh in
            try await mesh.link(0, 1)
            await #expect(throws: MeshError.alreadyDialling(Endpoint(host: "127.0.0.1", port: mesh.ports[1]))) {
                try await mesh.link(0, 1)
            }
        }
    }

    @Test func badArgumentsAreRefused() async throws {
        try await TestMesh.with(1) { mesh in
            let node = mesh[0]
            await #expect(throws: MeshError.invalidPort(70000)) { try await node.listen(host: "127.0.0.1", port: 70000) }
            await #expect(throws: MeshError.invalidPort(0)) { try await node.connect(host: "127.0.0.1", port: 0) }
            await #expect(throws: MeshError.invalidType("")) { try await node.broadcast(type: "", payload: ByteBuffer()) }
            let long = String(repeating: "é", count: 128)
            await #expect(throws: MeshError.invalidType(long)) { try await node.broadcast(type: long, payload: ByteBuffer()) }
            let huge = ByteBuffer(repeating: 0, count: node.configuration.maximumFrameSize)
            await #expect(throws: MeshError.self) { try await node.broadcast(type: "x", payload: huge) }
            await #expect(throws: MeshError.self) {
                try await node.gather(type: "x", payload: huge, timeout: .seconds(1))
            }
        }
    }

    @Test func shutdownEndsSubscriptionsAndRefusesWork() async throws {
        let node = MeshNode(logger: Logger(label: "mesh-test-shutdown"))
        _ = try await node.listen(host: "127.0.0.1", port: 0)
        let messages = await node.subscribe(to: "chat")
        await node.shutdown()
        var iterator = messages.makeAsyncIterator()
        #expect(await iterator.next() == nil)
        await #expect(throws: MeshError.shutDown) { try await node.broadcast(type: "chat", payload: ByteBuffer()) }
        await #expect(throws: MeshError.shutDown) { try await node.listen(host: "127.0.0.1", port: 0) }
        await #expect(throws: MeshError.shutDown) { try await node.connect(host: "127.0.0.1", port: 1) }
    }
}

/// A server that is not a mesh node: it greets in text, as the talker's client port does.
private final class Greeter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "*** welcome to the talker\r\n")), promise: nil)
    }
}
