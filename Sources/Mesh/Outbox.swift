import NIOCore
import Synchronization

/// Writes to one channel from outside its event loop, coalescing bursts.
///
/// Every `writeAndFlush` from another thread costs a task on the event loop, usually a wake-up,
/// and a syscall of its own. Under load the node writes far faster than that, so writes queue
/// here and one event-loop task writes all that has gathered and flushes once.
final class Outbox: Sendable {
    let channel: any Channel
    private let state = Mutex<State>(State())

    private struct State {
        var queued: [ByteBuffer] = []
        var isDrainScheduled = false
    }

    init(channel: any Channel) {
        self.channel = channel
    }

    func enqueue(_ bytes: ByteBuffer) {
        let mustSchedule = state.withLock { state in
            state.queued.append(bytes)
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
        for bytes in queued {
            channel.write(bytes, promise: nil)
        }
        channel.flush()
    }
}
