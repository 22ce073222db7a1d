import Foundation

/// A daemon's pid file: written atomically once the daemon is ready, removed when it exits.
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

    /// Removes the file only if it still names `pid`: a newer daemon may have replaced it.
    func remove(ifOwnedBy pid: Int32 = getpid()) {
        if read() == pid { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Alive, and not a zombie waiting to be reaped: a daemon whose starter exited is reparented to pid 1,
    /// which in some containers never reaps it.
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let state = stat.split(separator: ")").last?.split(separator: " ").first
        else { return true }
        return state != "Z"
    }
}
