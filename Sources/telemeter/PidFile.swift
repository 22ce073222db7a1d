import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The telemeter daemon's pid file: written once it runs, removed when it exits.
struct PidFile {
    let path: String

    func write(_ pid: Int32 = getpid()) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("\(pid)\n".utf8).write(to: url, options: .atomic)
    }

    func read() -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Removes the file only while it still names `pid`: a newer daemon may have replaced it.
    func remove(ifOwnedBy pid: Int32 = getpid()) {
        if read() == pid { try? FileManager.default.removeItem(atPath: path) }
    }

    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        // A detached daemon's parent is gone, and an exited one stays a zombie until whoever adopted it reaps
        // it; a zombie still answers signal 0 but is not running.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: end)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }
}
