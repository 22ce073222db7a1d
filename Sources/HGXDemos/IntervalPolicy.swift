import HGX

/// Turns whatever a monitor put in the shared interval object into a reporting interval the telemeter can
/// live with: the tutorial's "consumer-side protection against malicious interval proxies".
public struct IntervalPolicy: Hashable, Sendable {
    /// Never report more often than this (seconds).
    public var minimum: Double
    /// Never wait longer than this (seconds); the tutorial had no upper bound, but `Infinity` is valid JSON
    /// from Python and would stop the reports for good.
    public var maximum: Double

    public init(minimum: Double = 1, maximum: Double = 86_400) {
        self.minimum = minimum
        self.maximum = max(minimum, maximum)
    }

    /// `requested` clamped to `minimum...maximum`; anything but a number (or a number that is not one, NaN)
    /// gives the minimum, as the tutorial's `except (ValueError, TypeError)` does. Booleans count as 1 and 0,
    /// as in Python.
    public func seconds(for requested: JSONValue) -> Double {
        let value: Double
        switch requested {
        case .integer, .bigInteger, .double: value = requested.doubleValue ?? minimum
        case .bool(let flag): value = flag ? 1 : 0
        default: value = minimum
        }
        guard !value.isNaN else { return minimum }
        return min(max(value, minimum), maximum)
    }

    /// The same as a `Duration`.
    public func duration(for requested: JSONValue) -> Duration {
        .milliseconds(Int64((seconds(for: requested) * 1000).rounded()))
    }
}
