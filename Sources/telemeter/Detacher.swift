import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the telemeter in the background, as the tutorial does with daemoniker: the same executable is
/// started again with `--foreground` in its own session (no terminal, immune to the shell's Ctrl-C and
/// hang-up), and the starting process waits until it reports that it runs, then exits.
///
/// Swift cannot `fork` a running process safely, hence the fresh `exec`; the child reports on a pipe whose
/// descriptor it finds in `TELEMETER_READY_FD`.
enum Detacher {
    /// glibc's POSIX_SPAWN_SETSID, which Swift does not import (it is behind _GNU_SOURCE).
    static let spawnSetSID: Int16 = 0x80
    static let readyVariable = "TELEMETER_READY_FD"
    static let readyPrefix = "ready "

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `arguments` (after the executable) detached, output appended to `logFile` (or discarded), and
    /// returns the child's pid and its ready message once it reports.
    static func spawn(arguments: [String], logFile: String?, timeout: Duration = .seconds(60)) throws -> (pid: Int32, message: String) {
        var readyPipe: [Int32] = [0, 0]
        guard pipe(&readyPipe) == 0 else { throw Failure(description: "cannot create a pipe") }
        let readyFD: Int32 = 3
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o640)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, readyPipe[1], readyFD)
        // The child keeps nothing else of ours: an inherited pipe would keep our caller waiting for EOF.
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        for fd in descriptors where fd > readyFD { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, spawnSetSID)

        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var environment = ProcessInfo.processInfo.environment
        environment[readyVariable] = String(readyFD)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(readyPipe[1])
        guard status == 0 else {
            close(readyPipe[0])
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        let report = readAll(readyPipe[0], timeout: timeout)
        close(readyPipe[0])
        if report.hasPrefix(readyPrefix) {
            return (pid, String(report.dropFirst(readyPrefix.count)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var exitStatus: Int32 = 0
        let exited = waitpid(pid, &exitStatus, WNOHANG) == pid
        if !exited { kill(pid, SIGTERM) }
        let reason = report.isEmpty
            ? (exited ? "the telemeter exited while starting" : "the telemeter did not report ready in time")
            : report.trimmingCharacters(in: .whitespacesAndNewlines)
        throw Failure(description: reason + (logFile.map { " (see \($0))" } ?? ""))
    }

    private static func readAll(_ fd: Int32, timeout: Duration) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 200)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// In the detached child: tells the waiting parent that it runs (`ready …`) or why it could not start.
    static func report(_ message: String) {
        guard let text = ProcessInfo.processInfo.environment[readyVariable], let fd = Int32(text) else { return }
        let line = message + "\n"
        line.utf8CString.withUnsafeBufferPointer { buffer in
            _ = write(fd, buffer.baseAddress, buffer.count - 1)
        }
        close(fd)
        unsetenv(readyVariable)
    }

    static var isDetachedChild: Bool { ProcessInfo.processInfo.environment[readyVariable] != nil }
}
