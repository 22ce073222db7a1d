import Foundation

/// The `hypergolix` executable `swift test` built next to the test bundle.
public enum Binary {
    public static let url: URL = {
        if let explicit = ProcessInfo.processInfo.environment["HYPERGOLIX_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hypergolix"),
            packageRoot.appendingPathComponent(".build/debug/hypergolix"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }()

    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Subprocess.Result {
        try await Subprocess.run(url, arguments, environment: environment, input: input)
    }
}
