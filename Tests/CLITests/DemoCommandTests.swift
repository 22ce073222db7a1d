import Foundation
import TestSupport
import Testing

/// The README's first command: `hypergolix demo` works with no configuration and leaves nothing behind.
@Suite(.serialized) struct HypergolixDemoTests {
    static func demoDirectories() -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? [])
            .filter { $0.hasPrefix("hypergolix-demo-") })
    }

    @Test func runsTheEchoExchangeAndCleansUp() async throws {
        let home = try ScratchDirectory()
        let before = Self.demoDirectories()
        let result = try await Binary.run(["demo", "--rounds", "3"], environment: ["HOME": home.url.path])
        #expect(result.status == 0, "\(result.output)\n\(result.error)")
        for expected in ["server: listening on 127.0.0.1:", "alice: new account", "bob: new account",
                         "alice: created request", "bob: received request", "bob: answered request",
                         "alice: received response", "round trip 3:", "Round trips", "median", "removed"] {
            #expect(result.output.contains(expected), "missing \"\(expected)\" in:\n\(result.output)")
        }
        #expect(!result.error.contains("error"), "\(result.error)")
        #expect(Self.demoDirectories().subtracting(before).isEmpty, "temporary state is removed")
        #expect(!FileManager.default.fileExists(atPath: home.url.appendingPathComponent(".hypergolix").path),
                "the user's own configuration is untouched")
    }

    @Test func ctrlCStopsAndCleansUp() async throws {
        let log = try ScratchDirectory()
        let before = Self.demoDirectories()
        let process = try BackgroundProcess(Binary.url, ["demo", "--rounds", "10000"], log: log.file("demo.log"))
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: log.file("demo.log"), encoding: .utf8), text.contains("round trip 1:") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await process.stop(SIGINT, timeout: .seconds(30)))
        let output = try String(contentsOf: log.file("demo.log"), encoding: .utf8)
        #expect(output.contains("Interrupted: stopped everything"), "\(output)")
        #expect(Self.demoDirectories().subtracting(before).isEmpty)
    }

    @Test func badOptionsAreRefused() async throws {
        let result = try await Binary.run(["demo", "--cipher-suite", "2"])
        #expect(result.status == 64 && result.error.contains("--cipher-suite must be 1 or 3"))
    }
}
