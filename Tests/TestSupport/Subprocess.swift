import Foundation

/// Runs a program to completion and captures its output; for driving the reference tools.
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
        directory: URL? = nil,
        input: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Drain stderr on another thread while reading stdout here: a child that fills either pipe
        // would otherwise block forever.
        let errorBox = DataBox()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorBox.data = error.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        let errorData = errorBox.data
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self)
        )
    }
}

private final class DataBox: @unchecked Sendable {
    // Written once by the draining thread before the semaphore is signalled, read after the wait.
    var data = Data()
}
