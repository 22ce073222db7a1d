import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts this executable again as a background daemon (its own session, no terminal) and waits until it
/// reports that it is ready, so that `start` returns only once the service runs, as the original does.
///
/// Swift cannot safely `fork` a running process, so the daemon is a fresh `exec` of the same binary with
/// `--foreground`; it reports readiness (or why it failed) on a pipe whose descriptor it finds in
/// `HYPERGOLIX_READY_FD`.
enum Daemonizer {
    /// glibc's POSIX_SPAWN_SETSID, which Swift does not import (it is behind _GNU_SOURCE).
    static let spawnSetSID: Int16 = 0x80
    static let readyVariable = "HYPERGOLIX_READY_FD"
    static let readyMessage = "ready"

        /// Spawns `arguments` (after the executable) detached, with output appended to `logFile` (or discarded)
    /// and `input` (if any) written to its standard input. Returns the daemon's pid once it is ready.
    static func spawn(arguments: [String], logFile: String?, input: String? = nil, timeout: Duration = .seconds(120)) throws -> Int32 {
        var readyPipe: [Int32] = [0, 0]
        var inputPipe: [Int32] = [0, 0]
        guard pipe(&readyPipe) == 0, pipe(&inputPipe) == 0 else { throw CommandFailure("cannot create pipes") }
        let readyFD: Int32 = 3

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        let output = logFile ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, readyPipe[1], readyFD)
        // The daemon keeps nothing of ours: an inherited pipe would keep a caller waiting for EOF forever.
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        for fd in descriptors where fd > readyFD { posix_spawn_file_actions_addclose(&actions, fd) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new session: no controlling terminal, and Ctrl-C in the starting shell does not reach it.
        posix_spawnattr_setflags(&attributes, spawnSetSID)

        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
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
        close(inputPipe[0])
        guard status == 0 else {
            close(readyPipe[0])
            close(inputPipe[1])
            throw CommandFailure("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        if let input {
            input.utf8CString.withUnsafeBufferPointer { buffer in
                _ = write(inputPipe[1], buffer.baseAddress, buffer.count - 1)
            }
        }
        close(inputPipe[1])

        let report = readAll(readyPipe[0], timeout: timeout)
        close(readyPipe[0])
        if report.hasPrefix(readyMessage) { return pid }
        var exitStatus: Int32 = 0
        let exited = waitpid(pid, &exitStatus, WNOHANG) == pid
        let reason = report.isEmpty
            ? (exited ? "the daemon exited during start-up" : "the daemon did not report ready in time")
            : report.trimmingCharacters(in: .whitespacesAndNewlines)
        if !exited { kill(pid, SIGTERM) }
        throw CommandFailure(reason + (logFile.map { " (see \($0))" } ?? ""))
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

    /// In the daemon: tells the waiting `start` that the service runs, or why it could not start.
    static func report(_ message: String) {
        guard let text = ProcessInfo.processInfo.environment[readyVariable], let fd = Int32(text) else { return }
        let line = message + "\n"
        line.utf8CString.withUnsafeBufferPointer { buffer in
            _ = write(fd, buffer.baseAddress, buffer.count - 1)
        }
        close(fd)
        unsetenv(readyVariable)
    }

    /// Sends SIGTERM to the daemon named by `pidFile` and waits for it to exit.
    static func stop(pidFile: PidFile, name: String, timeout: Duration = .seconds(30)) throws {
        guard let pid = pidFile.read() else {
            throw CommandFailure("\(name) is not running (no pid in \(pidFile.path))")
        }
        guard PidFile.isRunning(pid) else {
            try? FileManager.default.removeItem(atPath: pidFile.path)
            throw CommandFailure("\(name) (pid \(pid)) was not running; removed the stale pid file")
        }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while PidFile.isRunning(pid), ContinuousClock.now < deadline {
            usleep(50_000)
        }
        if PidFile.isRunning(pid) {
            throw CommandFailure("\(name) (pid \(pid)) did not exit within \(timeout); it is still shutting down")
        }
    }
}
