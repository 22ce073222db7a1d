/// Counts what a background task has done, so that a test acts after a number of steps instead of after a
/// time that a loaded machine may not honour.
public actor StepCounter {
    public private(set) var count = 0

    public init() {}

    public func add() {
        count += 1
    }

    /// Returns once `count` reaches `target`, or after `timeout` regardless.
    public func wait(for target: Int, timeout: Duration = .seconds(120)) async {
        let deadline = ContinuousClock.now + timeout
        while count < target, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
