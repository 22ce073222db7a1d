/// When the next report is due, measured from a fixed start rather than from the end of the previous report,
/// so the time a push takes does not make the reports drift later and later (the tutorial's "wandering
/// clock" bug). If a report overran its slot, the next one is due at once and the schedule continues from
/// there instead of firing a burst to catch up.
public struct DriftCorrectingSchedule: Sendable {
    /// When the current report was due.
    public private(set) var due: ContinuousClock.Instant

    public init(start: ContinuousClock.Instant) {
        due = start
    }

    /// Moves to the next report, `interval` after the current one was due (or `now`, if that is already
    /// past), and returns when it is due.
    public mutating func advance(by interval: Duration, now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        due = max(due + interval, now)
        return due
    }
}
