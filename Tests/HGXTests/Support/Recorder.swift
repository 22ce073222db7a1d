import Synchronization

/// Collects values from callbacks and handlers for assertions.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) {
        values.withLock { $0.append(value) }
    }

    var all: [Value] { values.withLock { $0 } }
    var count: Int { values.withLock { $0.count } }

    /// Waits until at least `count` values arrived; returns them.
    func wait(for count: Int, timeout: Duration = .seconds(20)) async -> [Value] {
        _ = await eventually(timeout: timeout) { self.count >= count }
        return all
    }
}
