import Foundation
import Testing

/// Where the interop toolkit and its venv (the original Hypergolix 0.1.0) are, if anywhere.
///
/// With `CI` set the toolkit must be usable and every interop test runs (a missing venv fails loudly);
/// elsewhere, without the toolkit, the tests skip and say why.
public enum InteropEnvironment {
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let sharedDirectory: URL? = {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [
            environment["HGX_SHARED_DIR"].map { URL(fileURLWithPath: $0) },
            packageRoot.deletingLastPathComponent().appendingPathComponent("shared"),
            URL(fileURLWithPath: "/work/shared"),
        ]
        return candidates.compactMap { $0 }.first {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("interop/setup.sh").path)
        }
    }()

    public static var interopDirectory: URL? { sharedDirectory?.appendingPathComponent("interop") }

    public static let venvPython: URL = {
        let environment = ProcessInfo.processInfo.environment
        if let venv = environment["HGX_VENV"] { return URL(fileURLWithPath: venv).appendingPathComponent("bin/python") }
        let home = environment["HGX_INTEROP_HOME"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/hgx-interop").path
        return URL(fileURLWithPath: home).appendingPathComponent("venv/bin/python")
    }()

    public static var isCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }

    /// Nil when usable; otherwise why not.
    public static let problem: String? = {
        guard sharedDirectory != nil else { return "no interop toolkit found (../shared/interop or HGX_SHARED_DIR)" }
        guard FileManager.default.isExecutableFile(atPath: venvPython.path) else {
            return "the interop venv is not built: run scripts/interop-setup.sh"
        }
        return nil
    }()

    /// Interop tests run in CI always (and fail there if the toolkit is unusable), elsewhere when usable.
    public static var shouldRun: Bool {
        if problem == nil { return true }
        if !isCI, let problem { print("interop tests skipped: \(problem)") }
        return isCI
    }

    /// Records a failure (CI without a usable toolkit) and returns false; true when the test may go on.
    public static func require() -> Bool {
        if let problem {
            Issue.record("CI is set but the interop toolkit is unusable: \(problem)")
            return false
        }
        return true
    }
}
