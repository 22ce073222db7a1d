import Foundation
import Synchronization
import TestSupport
import Testing

/// A real `talker` process, started from the binary that `swift build` put next to this test
/// bundle.
final class TalkerProcess {
    let process = Process()
    let output = CollectedLines()
    let errors = CollectedLines()

    init(arguments: [String]) throws {
        process.executableURL = try Self.binary()
        process.arguments = arguments
        process.standardOutput = Self.pipe(into: output)
        process.standardError = Self.pipe(into: errors)
        try process.run()
    }

    private static func pipe(into lines: CollectedLines) -> Pipe {
        let pipe = Pipe()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                lines.append(data)
            }
        }
        return pipe
    }

    struct BinaryNotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "no talker binary in \(searched): `swift test` does not link executables, so run `swift build` first (.ci/run does)"
        }
    }

    /// The test runner lives in the build products directory, and so does `talker`.
    static func binary() throws -> URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [
            runner.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("talker") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw BinaryNotFound(searched: candidates.map(\.path))
        }
        return found
    }

    /// The client port the process announced on its standard output.
    func clientPort() async -> Int? {
        var port: Int?
        await eventually("talker announces its port") {
            port = output.lines.lazy.compactMap(Self.announcedPort).first
            return port != nil || !process.isRunning
        }
        return port
    }

    private static func announcedPort(_ line: String) -> Int? {
        guard line.contains("accepting clients on"), let last = line.split(separator: ":").last else { return nil }
        return Int(last)
    }

    /// Sends SIGTERM and waits for the exit; returns the exit status.
    func stop() async -> Int32? {
        if process.isRunning {
            process.terminate()
        }
        let exited = await eventually("talker exits") { !process.isRunning }
        return exited ? process.terminationStatus : nil
    }

    deinit {
        if process.isRunning {
            process.interrupt()
        }
    }
}

/// Lines of a pipe, gathered on whatever thread the pipe's handler runs.
final class CollectedLines: Sendable {
    private let state = Mutex<(pending: [UInt8], lines: [String])>(([], []))

    func append(_ data: Data) {
        state.withLock { state in
            state.pending.append(contentsOf: data)
            while let newline = state.pending.firstIndex(of: UInt8(ascii: "\n")) {
                state.lines.append(String(decoding: state.pending[..<newline], as: UTF8.self))
                state.pending.removeSubrange(...newline)
            }
        }
    }

    var lines: [String] {
        state.withLock { $0.lines }
    }
}
