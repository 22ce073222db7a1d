/// Runs `body` repeatedly for about `seconds` and reports throughput. Work is timed in batches so that the
/// clock is read rarely; the first batch warms caches and is discarded.
struct Measurement {
    let name: String
    let operations: Int
    let seconds: Double

    var perSecond: Double { Double(operations) / seconds }
    var microseconds: Double { seconds * 1_000_000 / Double(operations) }

    static func run(_ name: String, seconds: Double = 1.0, _ body: () throws -> Void) rethrows -> Measurement {
        let clock = ContinuousClock()
        var batch = 1
        try body()
        var operations = 0
        var elapsed = Duration.zero
        while elapsed < .milliseconds(Int(seconds * 1000)) {
            let start = clock.now
            for _ in 0..<batch { try body() }
            elapsed += clock.now - start
            operations += batch
            if elapsed < .milliseconds(50) { batch *= 2 }
        }
        let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Measurement(name: name, operations: operations, seconds: total)
    }

    var line: String {
        let rate = perSecond >= 100 ? String(Int(perSecond.rounded())) : String(format1(perSecond))
        return name.padding(toLength: 44, withPad: " ", startingAt: 0)
            + rate.leftPadded(12) + " ops/s" + format1(microseconds).leftPadded(12) + " µs/op"
    }
}

func format1(_ value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return String(scaled)
}

import Foundation

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// Prints a line at once, even into a pipe or file: benchmark progress should be visible while it runs.
func report(_ line: String) {
    print(line)
    fflush(nil)
}
