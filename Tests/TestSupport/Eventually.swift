import Testing

/// Waits until `condition` holds, checking every few milliseconds, for at most `timeout`.
/// Network events are asynchronous, so tests wait for the state they expect instead of sleeping
/// for a fixed time; the timeout is generous because CI machines are slow, not because the
/// code is.
@discardableResult
public func eventually(
    _ what: @autoclosure () -> String,
    timeout: Duration = .seconds(20),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    if try await condition() { return true }
    Issue.record("timed out waiting for: \(what())", sourceLocation: sourceLocation)
    return false
}
