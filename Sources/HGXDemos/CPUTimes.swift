/// One CPU's cumulative time counters from a `cpuN` line of `/proc/stat`, in clock ticks.
public struct CPUTimes: Hashable, Sendable {
    public var user, nice, system, idle, iowait, irq, softirq, steal: UInt64

    public init(user: UInt64, nice: UInt64, system: UInt64, idle: UInt64, iowait: UInt64 = 0, irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0) {
        (self.user, self.nice, self.system, self.idle) = (user, nice, system, idle)
        (self.iowait, self.irq, self.softirq, self.steal) = (iowait, irq, softirq, steal)
    }

    /// All time. The guest columns are left out: the kernel already counts them in user and nice.
    public var total: UInt64 { user &+ nice &+ system &+ idle &+ iowait &+ irq &+ softirq &+ steal }

    /// Time spent doing nothing, as psutil counts it (idle and waiting for I/O).
    public var idleTotal: UInt64 { idle &+ iowait }

    /// The per-CPU lines of `/proc/stat` (`cpu0`, `cpu1`, …), in order; the aggregate `cpu` line is skipped.
    public static func parse(procStat text: String) -> [CPUTimes] {
        text.split(separator: "\n").compactMap { line -> CPUTimes? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let name = fields.first, name.hasPrefix("cpu"), name.count > 3 else { return nil }
            let counters = fields.dropFirst().compactMap { UInt64($0) }
            guard counters.count >= 4 else { return nil }
            func column(_ index: Int) -> UInt64 { index < counters.count ? counters[index] : 0 }
            return CPUTimes(
                user: column(0), nice: column(1), system: column(2), idle: column(3), iowait: column(4),
                irq: column(5), softirq: column(6), steal: column(7))
        }
    }

    /// psutil's `cpu_percent(percpu=True)` between two samples: the busy share of the time that passed, per
    /// CPU, rounded to one decimal. A CPU whose counters did not move (or went backwards) reads 0.
    public static func busyPercentages(from earlier: [CPUTimes], to later: [CPUTimes]) -> [Double] {
        zip(earlier, later).map { before, after in
            guard after.total > before.total else { return 0 }
            let elapsed = Double(after.total - before.total)
            let idle = after.idleTotal >= before.idleTotal ? Double(after.idleTotal - before.idleTotal) : 0
            let busy = max(0, min(100, (elapsed - idle) / elapsed * 100))
            return (busy * 10).rounded() / 10
        }
    }
}
