import Foundation
import Golix
@testable import HypergolixDaemon
import HypergolixWire
import TestSupport
import Testing

@Suite struct AccountTests {
    /// HYPERGOLIX-0.1-WIRE §6.1: scrypt(password, salt = fingerprint, N = 2^15, r = 8, p = 1) → key ‖ seed.
    @Test func rootSecretMatchesTheWireSpecVector() throws {
        let fingerprint = try #require(Ghid(algorithm: 1, address: [UInt8](repeating: 0x11, count: 64)))
        let secret = try RootSecret.derive(password: "correct horse battery staple", fingerprint: fingerprint)
        #expect(secret.key.hexString == "d98f7b44e77d3669d964432e18adb2d21cdaafd956734a07e5cd60503de193b5")
        #expect(secret.seed.hexString == "3dd1b7f958f3a3151e7b962a9cb257dc")
    }

    @Test func createStopAndLogInAgain() async throws {
        let first = try await TestDaemon()
        let app = try await first.app()
        let ghid = try await app.new("persisted")
        let token = try await app.setToken()
        _ = try await app.request(.registerStartup, ghid.bytes)
        await app.close()
        let second = try await first.restarted()
        defer { Task { await second.stop() } }
        #expect(second.fingerprint == first.fingerprint)
        let again = try await second.app()
        #expect(try await again.setToken(token) == token)
        #expect(try await again.request(.getStartup) == ghid.bytes)
        #expect(try await again.get(ghid).state == Array("persisted".utf8))
    }

    @Test func aWrongPasswordIsRefusedAndChangesNothing() async throws {
        let daemon = try await TestDaemon()
        await daemon.stop()
        let before = try Data(contentsOf: daemon.directory.appendingPathComponent(LocalStore.fileName))
        await #expect(throws: DaemonError.wrongPassword) {
            _ = try await TestDaemon(userID: daemon.daemon.userID, fingerprint: daemon.fingerprint,
                                     rootSecret: .random(cipherSuite: .suite1), servers: [], directory: daemon.directory)
        }
        let after = try Data(contentsOf: daemon.directory.appendingPathComponent(LocalStore.fileName))
        #expect(before == after)
    }

    @Test func aFreshMachineRestoresTheAccountFromARemote() async throws {
        let server = try await RunningServer()
        defer { Task { await server.stop() } }
        let home = try await TestDaemon(servers: [server.port])
        #expect(await home.daemon.waitForRemotes())
        let app = try await home.app()
        let token = try await app.setToken()
        let ghid = try await app.new("made at home")
        try await app.update(ghid, "updated at home")
        let secretObject = try await app.new("mine only", isPrivate: true)
        await app.close()
        await home.stop()  // publishes the account and drains the queue
        #expect(try home.daemon.queuedUploads(for: "127.0.0.1:\(server.port)") == 0)

        let laptop = try await home.anotherDevice(servers: [server.port])
        defer { Task { await laptop.stop() } }
        #expect(laptop.fingerprint == home.fingerprint)
        let there = try await laptop.app()
        #expect(try await there.setToken(token) == token, "app tokens come back")
        #expect(try await there.get(ghid).state == Array("updated at home".utf8))
        #expect(try await there.get(secretObject).isPrivate, "private objects stay private to their token")
        let stranger = try await laptop.app()
        #expect(await stranger.refusal(.getObject, secretObject.bytes) == IPCErrorCode.exception.rawValue)
    }

    @Test func anAccountThatIsNowhereIsAClearError() async throws {
        await #expect(throws: DaemonError.self) {
            _ = try await TestDaemon(userID: .pseudorandom(), fingerprint: .pseudorandom(), rootSecret: .random(),
                                     servers: [], directory: FileManager.default.temporaryDirectory.appendingPathComponent("hgx-none-\(UUID())"))
        }
    }
}
