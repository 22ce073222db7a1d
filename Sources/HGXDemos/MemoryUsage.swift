/// The figures psutil's `virtual_memory()` gives the telemeter: total, available and the used share.
public struct MemoryUsage: Hashable, Sendable {
    public var total: UInt64
    public var available: UInt64

    public init(total: UInt64, available: UInt64) {
        self.total = total
        self.available = min(available, total)
    }

    /// `(total - available) / total`, in percent with one decimal.
    public var percent: Double {
        guard total > 0 else { return 0 }
        return (Double(total - available) / Double(total) * 1000).rounded() / 10
    }

    /// Reads `/proc/meminfo` (values in kB). `MemAvailable` exists since Linux 3.14; older kernels get
    /// psutil's fallback of free + buffers + cached.
    public static func parse(meminfo text: String) -> MemoryUsage? {
        var fields: [Substring: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[0].hasSuffix(":"), let kilobytes = UInt64(parts[1]) else { continue }
            fields[parts[0].dropLast()] = kilobytes &* 1024
        }
        guard let total = fields["MemTotal"] else { return nil }
        let available = fields["MemAvailable"]
            ?? (fields["MemFree"] ?? 0) &+ (fields["Buffers"] ?? 0) &+ (fields["Cached"] ?? 0)
        return MemoryUsage(total: total, available: available)
    }
}
