import Foundation
import HGX

/// The telemeter's status text, laid out as the tutorial's `format_cpu`, `format_mem` and `format_disk`
/// lay it out, so a Python monitor and ours print the same thing.
public struct StatusReport: Hashable, Sendable {
    /// Local time of the sample, already formatted as `2016.12.14 @ 09:17:10`.
    public var timestamp: String
    public var cpuPercentages: [Double]
    public var memory: MemoryUsage?
    public var disk: DiskUsage?

    public init(timestamp: String, cpuPercentages: [Double], memory: MemoryUsage?, disk: DiskUsage?) {
        self.timestamp = timestamp
        self.cpuPercentages = cpuPercentages
        self.memory = memory
        self.disk = disk
    }

    /// The report text (the status object's state).
    public var text: String {
        var out = timestamp + "\n==========\n"
        out += "CPU:\n----------\n"
        for cpu in cpuPercentages { out += "  " + Self.pythonFloat(cpu) + "%\n" }
        out += "MEM:\n----------\n"
        if let memory {
            out += "  Avail: " + Self.humanize(memory.available) + "\n"
            out += "  Total: " + Self.humanize(memory.total) + "\n"
            out += "  Used:  " + Self.pythonFloat(memory.percent) + "%\n"
        }
        out += "DISK:\n----------\n"
        if let disk {
            out += "  Avail: " + Self.humanize(disk.free) + "\n"
            out += "  Total: " + Self.humanize(disk.total) + "\n"
            out += "  Used:  " + Self.pythonFloat(disk.percent) + "%\n"
        }
        return out + "\n"
    }

    /// The tutorial's `humanize_bibytes`: two decimals and the largest binary prefix not above the value.
    /// (The tutorial divides by zero below 1 KiB; plain bytes are shown instead.)
    public static func humanize(_ bytes: UInt64) -> String {
        let prefixes = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var unit = "B"
        var scale = 1.0
        for (power, prefix) in prefixes.enumerated().reversed() where Double(bytes) >= pow(1024, Double(power + 1)) {
            unit = prefix
            scale = pow(1024, Double(power + 1))
            break
        }
        return String(format: "%.2f", Double(bytes) / scale) + " " + unit
    }

    /// Python's `str(float)`.
    static func pythonFloat(_ value: Double) -> String {
        JSONValue.double(value).pythonJSONString
    }

    /// The tutorial's `strftime('%Y.%m.%d @ %H:%M:%S')` in local time.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy.MM.dd '@' HH:mm:ss"
        return formatter.string(from: date)
    }

    /// Samples this machine: CPU over `cpuInterval` (psutil's `interval=.1`), memory, and the disk at `path`.
    public static func sample(cpuInterval: Duration = .milliseconds(100), disk path: String = "/") async -> StatusReport {
        let timestamp = timestamp()
        let before = CPUTimes.parse(procStat: read("/proc/stat"))
        try? await Task.sleep(for: cpuInterval)
        let after = CPUTimes.parse(procStat: read("/proc/stat"))
        return StatusReport(
            timestamp: timestamp, cpuPercentages: CPUTimes.busyPercentages(from: before, to: after),
            memory: MemoryUsage.parse(meminfo: read("/proc/meminfo")), disk: DiskUsage.of(path: path))
    }

    private static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
