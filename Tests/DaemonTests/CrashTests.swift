import Foundation
import GRDB
import Golix
@testable import HypergolixDaemon
import HypergolixWire
import TestSupport
import Testing

/// `kill -9` at any moment leaves a store that opens, is consistent, and holds every change the daemon
/// acknowledged.
@Suite struct CrashTests {
    @Test func killNineLosesNothingAcknowledged() async throws {
        let home = try ScratchDirectory()
        let directory = home.url.appendingPathComponent(".hypergolix")
        let port = Int.random(in: 41_000...48_000)
        var config = HGXConfiguration()
        config.ipcPort = port
        config.rootSecret = .random(cipherSuite: .suite1)
        try config.save(to: directory)
        let environment = ["HOME": home.url.path]
        let log = home.file("daemon.log")

        var acknowledged = [Ghid: Int]()
        for round in 0..<3 {
            let process = try BackgroundProcess(Binary.url, ["start", "app", "--foreground"], environment: environment, log: log)
            let app = try await Self.connect(port: port, process: process, log: log)
            // Everything acknowledged in earlier rounds is still there.
            for (ghid, value) in acknowledged {
                let state = try await app.get(ghid).state
                #expect(Int(String(decoding: state, as: UTF8.self)) ?? -1 >= value, "round \(round): \(ghid) went back")
            }
            // Write as fast as possible and kill the daemon in the middle of it.
            let progress = StepCounter()
            let writer = Task { () -> [Ghid: Int] in
                var done = [Ghid: Int]()
                var objects = [Ghid]()
                for step in 0..<10_000 {
                    do {
                        if step % 5 == 0 {
                            let ghid = try await app.new("0")
                            objects.append(ghid)
                            done[ghid] = 0
                        } else if let ghid = objects.randomElement() {
                            let next = (done[ghid] ?? 0) + 1
                            try await app.update(ghid, String(next))
                            done[ghid] = next
                        }
                        await progress.add()
                    } catch {
                        break
                    }
                }
                return done
            }
            // Kill at a random moment once some writes went through, however loaded the machine is.
            await progress.wait(for: Int.random(in: 10...80))
            #expect(await process.stop(SIGKILL))
            let written = await writer.value
            for (ghid, value) in written { acknowledged[ghid] = max(acknowledged[ghid] ?? 0, value) }
            #expect(!acknowledged.isEmpty)
            // The database is intact after every kill.
            #expect(try Self.integrity(directory.appendingPathComponent(LocalStore.fileName).path) == "ok")
        }
        let process = try BackgroundProcess(Binary.url, ["start", "app", "--foreground"], environment: environment, log: log)
        let app = try await Self.connect(port: port, process: process, log: log)
        for (ghid, value) in acknowledged {
            let state = try await app.get(ghid).state
            #expect(Int(String(decoding: state, as: UTF8.self)) ?? -1 >= value)
        }
        #expect(await process.stop(SIGTERM), "a clean stop after the crashes")
    }

    static func integrity(_ path: String) throws -> String? {
        try DatabasePool(path: path).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
    }

    static func connect(port: Int, process: BackgroundProcess, log: URL) async throws -> TestApp {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let app = try? await TestApp.connect(port: port) { return app }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw InteropFailure("the daemon did not come up: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }
}
