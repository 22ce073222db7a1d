import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A persistence server in its own process, ours or the original, for benchmarking over loopback.
final class ServerProcess {
    let name: String
    let port: Int
    let directory: URL
    private(set) var pid: Int32 = 0

    /// Starts `hypergolix start server` (in the foreground of a child process) and waits until it listens.
    init(name: String, executable: String, extraArguments: [String] = [], port: Int) throws {
        self.name = name
        self.port = port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-bench-\(name)-\(getpid())-\(port)")
        try? FileManager.default.removeItem(at: directory)
        // The original refuses to start without an existing cache directory.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("cache"), withIntermediateDirectories: true)
        let arguments = [executable, "start", "server", directory.appendingPathComponent("server.pid").path,
                         "--cachedir", directory.appendingPathComponent("cache").path, "--host", "127.0.0.1",
                         "--port", String(port)] + extraArguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let log = directory.appendingPathComponent("server.log").path
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var starter: pid_t = 0
        let status = posix_spawn(&starter, executable, &actions, nil, argv, environ)
        guard status == 0 else { throw BenchFailure("cannot start \(executable): \(status)") }
        // `start server` may daemonize (the original always does): the server's pid is in its pid file.
        let pidFile = directory.appendingPathComponent("server.pid").path
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if Self.listening(port), let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let found = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), kill(found, 0) == 0
            {
                pid = found
                break
            }
            usleep(50_000)
        }
        var exitStatus: Int32 = 0
        if starter != pid { waitpid(starter, &exitStatus, 0) }
        guard pid > 0 else {
            throw BenchFailure("\(name) server did not come up: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }

    /// Peak resident set (VmHWM) in MiB.
    var peakRSS: Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib / 1024
    }

    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        var exitStatus: Int32 = 0
        for _ in 0..<200 {
            if waitpid(pid, &exitStatus, WNOHANG) == pid || kill(pid, 0) != 0 { break }
            usleep(50_000)
        }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &exitStatus, WNOHANG)
        }
        pid = 0
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    /// Is something listening on the loopback port? (Connects; fine for a server.)
    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
