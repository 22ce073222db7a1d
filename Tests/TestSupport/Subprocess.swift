import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion and captures its output; for driving the CLI and the reference tools.
///
/// Built on `posix_spawn` and `waitpid` rather than Foundation's `Process`, whose `waitUntilExit` can miss
/// a child's exit on Linux and hang. The blocking work runs on its own thread, never on the cooperative pool.
public struct Subprocess {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let error: String
    }

    public static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String] = [:],
        input: String? = nil
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result {
                    try runBlocking(executable, arguments, environment: environment, input: input)
                })
            }
            thread.start()
        }
    }

    public struct SpawnFailed: Error, CustomStringConvertible {
        public let description: String
    }

    public static func runBlocking(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String],
        input: String?
    ) throws -> Result {
        var stdinPipe: [Int32] = [0, 0]
        var stdoutPipe: [Int32] = [0, 0]
        var stderrPipe: [Int32] = [0, 0]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            throw SpawnFailed(description: "pipe: \(errno)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        // Nothing else leaks into the child (a daemon it starts could otherwise hold our pipes open).
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard status == 0 else {
            [stdinPipe[1], stdoutPipe[0], stderrPipe[0]].forEach { close($0) }
            throw SpawnFailed(description: "cannot run \(executable.path): \(status)")
        }
        if let input {
            let bytes = Array(input.utf8)
            bytes.withUnsafeBufferPointer { buffer in _ = write(stdinPipe[1], buffer.baseAddress, buffer.count) }
        }
        close(stdinPipe[1])

        // Read stderr on another thread while reading stdout here: a child filling either pipe would block.
        let errorBox = Box()
        let errorDone = DispatchSemaphore(value: 0)
        let errorFD = stderrPipe[0]
        Thread {
            errorBox.bytes = readToEnd(errorFD)
            errorDone.signal()
        }.start()
        let output = readToEnd(stdoutPipe[0])
        errorDone.wait()
        close(stdoutPipe[0])
        close(stderrPipe[0])

        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) < 0 && errno == EINTR {}
        let code: Int32 = (exitStatus & 0x7F) == 0 ? (exitStatus >> 8) & 0xFF : 128 + (exitStatus & 0x7F)
        return Result(
            status: code,
            output: String(decoding: output, as: UTF8.self),
            error: String(decoding: errorBox.bytes, as: UTF8.self)
        )
    }

    /// This process's open file descriptors.
    public static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    /// Reads until every writer has closed the pipe. Daemons a script starts must not inherit it.
    static func readToEnd(_ fd: Int32) -> [UInt8] {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return data
    }
}

private final class Box: @unchecked Sendable {
    // Written by the reading thread before it signals, read after the wait.
    var bytes: [UInt8] = []
}
