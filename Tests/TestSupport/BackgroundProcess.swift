import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program started in the background for a test, stopped (or killed) by its pid: the processes a test
/// starts are the only ones it stops.
public final class BackgroundProcess: @unchecked Sendable {
    public let pid: pid_t
    private var reaped = false
    // `reaped` is only touched by the owning test, one call at a time.

    /// Starts `executable` with output appended to `log`.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], log: URL, input: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var inputPipe: [Int32] = [0, 0]
        guard pipe(&inputPipe) == 0 else { throw Subprocess.SpawnFailed(description: "pipe") }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        for fd in Subprocess.openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        close(inputPipe[0])
        if let input {
            let bytes = Array(input.utf8)
            bytes.withUnsafeBufferPointer { buffer in _ = write(inputPipe[1], buffer.baseAddress, buffer.count) }
        }
        close(inputPipe[1])
        guard status == 0 else { throw Subprocess.SpawnFailed(description: "cannot start \(executable.path): \(status)") }
        self.pid = pid
    }

    public var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            reaped = true
            return false
        }
        return true
    }

    /// Sends `signal` and waits (up to `timeout`) for the process to exit; returns whether it did.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM, timeout: Duration = .seconds(15)) async -> Bool {
        guard !reaped else { return true }
        kill(pid, signal)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !isRunning { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    deinit {
        if !reaped {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}
