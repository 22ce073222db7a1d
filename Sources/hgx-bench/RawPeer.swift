import Foundation
import HypergolixWire
import Logging
import NIOCore
import WSClient

/// A bare WebSocket peer for load generation: pre-serialized messages, a reader that only counts answers
/// (and answers pushes), no per-message tasks or actor hops. It measures the server, not the client library.
enum RawPeer {
    /// Sends `bodies` as `code` requests with at most `window` unanswered; returns the refusals seen.
    static func pipeline(port: Int, code: RequestCode, bodies: ArraySlice<[UInt8]>, window: Int = 128) async throws -> Int {
        var logger = Logger(label: "bench.raw")
        logger.logLevel = .critical
        let refused = Counter()
        try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/", configuration: .init(maxFrameSize: WireMessage.maximumLength), logger: logger
        ) { inbound, outbound, _ in
            let credit = Credit(window)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var answers = 0
                    var messages = inbound.messages(maxSize: WireMessage.maximumLength).makeAsyncIterator()
                    while answers < bodies.count, let message = try await messages.next() {
                        guard case .binary(let buffer) = message, buffer.readableBytes >= 6 else { continue }
                        let code = buffer.getBytes(at: buffer.readerIndex + 2, length: 2) ?? []
                        if code == [0x4E, 0x4B] { await refused.add() }
                        answers += 1
                        await credit.release()
                    }
                }
                var token: UInt16 = 0
                for body in bodies {
                    await credit.acquire()
                    token &+= 1
                    try await outbound.write(.binary(ByteBuffer(bytes: WireMessage(code: code, token: token, body: body).serialized())))
                }
                try await group.next()
                group.cancelAll()
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return await refused.value
    }

    /// A subscriber that counts `!!` pushes and answers each with `01`, as a daemon does.
    final class Subscriber: Sendable {
        let task: Task<Void, any Error>

        init(port: Int, subscription: [UInt8], onPush: @escaping @Sendable () async -> Void, subscribed: @escaping @Sendable () -> Void) {
            task = Task {
                var logger = Logger(label: "bench.sub")
                logger.logLevel = .critical
                try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(port)/", configuration: .init(maxFrameSize: WireMessage.maximumLength), logger: logger
                ) { inbound, outbound, _ in
                    try await outbound.write(.binary(ByteBuffer(bytes: WireMessage(code: .subscribe, token: 1, body: subscription).serialized())))
                    for try await message in inbound.messages(maxSize: WireMessage.maximumLength) {
                        guard case .binary(var buffer) = message, buffer.readableBytes >= 6,
                            let header = buffer.readBytes(length: 6)
                        else { continue }
                        if header[2] == 0x21, header[3] == 0x21 {  // "!!"
                            await onPush()
                            try await outbound.write(.binary(ByteBuffer(bytes: [0, 0, 0x41, 0x4B, header[4], header[5], 1])))
                        } else if header[2] == 0x41 {  // the AK of our +S
                            subscribed()
                        }
                    }
                }
            }
        }

        func stop() { task.cancel() }
    }

    actor Counter {
        private(set) var value = 0
        func add() { value += 1 }
    }

    /// A window of outstanding requests.
    actor Credit {
        private var available: Int
        private var waiters: [CheckedContinuation<Void, Never>] = []

        init(_ window: Int) { available = window }

        func acquire() async {
            if available > 0 {
                available -= 1
                return
            }
            await withCheckedContinuation { waiters.append($0) }
        }

        func release() {
            if waiters.isEmpty { available += 1 } else { waiters.removeFirst().resume() }
        }
    }
}
