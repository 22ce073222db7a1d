/// Runs work that waits on another party with a limit, so that a demo reports what it was waiting for instead
/// of hanging when the other side never answers.
public enum TimeLimit {
    /// The named wait did not finish in time.
    public struct Exceeded: Error, CustomStringConvertible {
        public let what: String
        public let limit: Duration
        public var description: String { "timed out after \(limit) waiting for \(what)" }
    }

    /// Returns `body`'s result, or throws ``Exceeded`` once `limit` passes (cancelling `body`).
    public static func run<Result: Sendable>(
        _ limit: Duration,
        waitingFor what: String,
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw Exceeded(what: what, limit: limit)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw Exceeded(what: what, limit: limit) }
            return first
        }
    }
}
