import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program that runs alongside a test until the test stops it (by its pid, and only it), with its output
/// going to a file the test can read while it runs.
final class BackgroundProcess: Sendable {
    let pid: pid_t
    let outputPath: String

    struct SpawnFailed: Error, CustomStringConvertible {
        let description: String
    }

    init(_ executable: URL, _ arguments: [String], outputPath: String) throws {
        self.outputPath = outputPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        for fd in descriptors where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        guard status == 0 else { throw SpawnFailed(description: "cannot run \(executable.path): \(status)") }
        self.pid = pid
    }

    /// What it printed so far.
    var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Sends SIGTERM, then SIGKILL if it has not exited within ten seconds, and reaps it.
    func terminate() async {
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
