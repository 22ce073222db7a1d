import NIOCore
import NIOPosix
import Synchronization

@testable import Mesh

/// A TCP connection to a node that speaks whatever bytes a test gives it, to play a broken or
/// hostile peer.
struct RawPeer {
    let channel: any Channel
    let inbound: NIOAsyncChannelInboundStream<ByteBuffer>
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Connects to `port`, runs `body`, and closes the connection.
    static func with<Result: Sendable>(port: Int, _ body: (RawPeer) async throws -> Result) async throws -> Result {
        let connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await connection.executeThenClose { inbound, outbound in
            try await body(RawPeer(channel: connection.channel, inbound: inbound, outbound: outbound))
        }
    }

    func send(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    func send(_ frame: MeshFrame) async throws {
        var buffer = ByteBuffer()
        frame.encode(into: &buffer)
        try await outbound.write(buffer)
    }

    /// Everything the node sends until it closes the connection, or `nil` if it is still open
    /// after `timeout`.
    func readUntilClosed(timeout: Duration = .seconds(20)) async -> ByteBuffer? {
        let channel = self.channel
        let timedOut = Flag()
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            timedOut.raise()
            channel.close(promise: nil)
        }
        var received = ByteBuffer()
        do {
            for try await var chunk in inbound {
                received.writeBuffer(&chunk)
            }
        } catch {
            // A reset is as good as a close for these tests.
        }
        timer.cancel()
        return timedOut.isRaised ? nil : received
    }
}

/// A one-way switch that any thread may raise.
final class Flag: Sendable {
    private let state = Atomic<Bool>(false)

    func raise() {
        state.store(true, ordering: .relaxed)
    }

    var isRaised: Bool {
        state.load(ordering: .relaxed)
    }
}
