import NIOCore
import Synchronization

/// Writes to one client from outside its event loop, coalescing bursts: one event-loop task and
/// one flush for everything that gathered meanwhile, instead of one of each per line.
///
/// (The mesh has the same mechanism for its links; it is small enough not to be worth a
/// public type in the mesh's API.)
final class ClientOutbox: Sendable {
    let channel: any Channel
    private let state = Mutex<State>(State())

    private struct State {
        var queued: [(bytes: ByteBuffer, promise: EventLoopPromise<Void>?)] = []
        var isDrainScheduled = false
    }

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Queues `bytes`; `promise`, if given, completes when they are written (or dropped).
    func enqueue(_ bytes: ByteBuffer, promise: EventLoopPromise<Void>? = nil) {
        let mustSchedule = state.withLock { state in
            state.queued.append((bytes, promise))
            defer { state.isDrainScheduled = true }
            return !state.isDrainScheduled
        }
        if mustSchedule {
            channel.eventLoop.execute { self.drain() }
        }
    }

    private func drain() {
        let queued = state.withLock { state in
            defer {
                state.queued.removeAll(keepingCapacity: true)
                state.isDrainScheduled = false
            }
            return state.queued
        }
        // One write per enqueued unit, so that the slow-client guard drops and counts whole lines.
        for (bytes, promise) in queued {
            channel.write(bytes, promise: promise)
        }
        channel.flush()
    }
}
