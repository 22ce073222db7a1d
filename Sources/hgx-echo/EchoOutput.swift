import HGXDemos
import Logging

extension EchoEvent {
    var isRoundTrip: Bool {
        if case .roundTrip = self { return true }
        return false
    }
}

/// Prints the summary line the demo ends with: how many round trips, their median, fastest and slowest.
func report(_ times: [Duration]) {
    guard !times.isEmpty else { return }
    let sorted = times.sorted()
    print("round trips: \(times.count), median \(EchoDemo.milliseconds(EchoDemo.median(times))), "
        + "min \(EchoDemo.milliseconds(sorted[0])), max \(EchoDemo.milliseconds(sorted[sorted.count - 1]))")
}

/// Library warnings only; the demo prints its own story.
func quietLogger() -> Logger {
    var logger = Logger(label: "hgx-echo")
    logger.logLevel = .warning
    return logger
}
