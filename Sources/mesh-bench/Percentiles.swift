/// Order statistics of a set of durations.
struct Percentiles {
    private let sorted: [Duration]

    init(_ samples: [Duration]) {
        sorted = samples.sorted()
    }

    /// The nearest-rank percentile, `p` in 0...100.
    func at(_ p: Double) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    var minimum: Duration { sorted.first ?? .zero }
    var maximum: Duration { sorted.last ?? .zero }
}

extension Duration {
    /// Microseconds, for printing.
    var microseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }

    var seconds: Double { microseconds / 1e6 }
}
