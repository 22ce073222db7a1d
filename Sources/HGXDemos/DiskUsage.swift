#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The figures psutil's `disk_usage(path)` gives the telemeter.
public struct DiskUsage: Hashable, Sendable {
    /// Size of the file system.
    public var total: UInt64
    /// Space an unprivileged user can still use.
    public var free: UInt64
    /// Space in use (excluding blocks reserved for root).
    public var used: UInt64

    public init(total: UInt64, free: UInt64, used: UInt64) {
        (self.total, self.free, self.used) = (total, free, used)
    }

    /// psutil's `used / (used + free)`: the share of what a user could fill, in percent with one decimal.
    public var percent: Double {
        let usable = used &+ free
        guard usable > 0 else { return 0 }
        return (Double(used) / Double(usable) * 1000).rounded() / 10
    }

    /// From the block counts `statvfs` reports.
    public init(blockSize: UInt64, blocks: UInt64, blocksFree: UInt64, blocksAvailable: UInt64) {
        self.init(
            total: blocks &* blockSize, free: blocksAvailable &* blockSize,
            used: (blocks >= blocksFree ? blocks - blocksFree : 0) &* blockSize)
    }

    /// The file system holding `path`, or nil if it cannot be read.
    public static func of(path: String) -> DiskUsage? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return DiskUsage(
            blockSize: UInt64(info.f_frsize), blocks: UInt64(info.f_blocks), blocksFree: UInt64(info.f_bfree),
            blocksAvailable: UInt64(info.f_bavail))
    }
}
