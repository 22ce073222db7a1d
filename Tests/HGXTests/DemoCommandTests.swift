import Foundation
import Golix
import HGXDemos
import HypergolixWire
import TestSupport
import Testing

@testable import HGX

/// The demo executables as a user runs them, against fake daemons.
@Suite struct DemoCommandTests {
    @Test func hgxEchoRunsBothSidesAndPrintsTheMedian() async throws {
        let binary = ProductBinary.url("hgx-echo")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the hgx-echo product first")
        try await FakeWorld.run { world in
            let result = try await Subprocess.run(binary, [
                "local", "--requester-port", String(await world.alice.port), "--responder-port", String(await world.bob.port),
                "--rounds", "3", "--timeout", "30",
            ])
            #expect(result.status == 0, "\(result.output)\n\(result.error)")
            let lines = result.output.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("requester: round trip ") }.count == 3, "\(result.output)")
            #expect(lines.last?.hasPrefix("round trips: 3, median ") == true, "\(result.output)")
        }
    }

    @Test func telemeterDetachesReportsAndStops() async throws {
        let binary = ProductBinary.url("telemeter")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the telemeter product first")
        let scratch = try ScratchDirectory()
        let pidPath = scratch.file("telemeter.pid").path
        try await FakeWorld.run { world in
            let started = try await Subprocess.run(binary, [
                "--ipc-port", String(await world.alice.port), "--pidfile", pidPath, "--log", scratch.file("telemeter.log").path,
                "--interval", "0.2", "--minimum-interval", "0.1",
            ])
            #expect(started.status == 0, "\(started.output)\n\(started.error)")
            #expect(started.output.contains("My fingerprint is: \(world.alice.fingerprint.base64)"), "\(started.output)")
            let pid = try #require(Int32((try? String(contentsOfFile: pidPath, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
            #expect(isRunning(pid), "the telemeter runs in the background")

            let created = await world.alice.received(.newObject).compactMap { try? ObjectDefinition(parsing: $0.body) }
            #expect(created.map(\.apiID) == [HGXDemos.TelemeterAPI.status])
            #expect(await eventually { await world.alice.received(.updateObject).count >= 3 }, "reports every 0.2 s")

            let stopped = try await Subprocess.run(binary, ["--stop", "--pidfile", pidPath])
            #expect(stopped.status == 0, "\(stopped.output)\n\(stopped.error)")
            #expect(stopped.output.contains("stopped"))
            #expect(!isRunning(pid), "the telemeter exited")
            #expect(!FileManager.default.fileExists(atPath: pidPath), "and removed its pid file")

            let again = try await Subprocess.run(binary, ["--stop", "--pidfile", pidPath])
            #expect(again.status != 0)
        }
    }
}

/// Whether `pid` runs: answers signal 0 and is not a zombie waiting to be reaped.
func isRunning(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else {
        return true
    }
    return stat[stat.index(after: end)...].drop { $0 == " " }.first != "Z"
}
