import Foundation
import Golix
@testable import HypergolixDaemon
import HypergolixWire
import TestSupport
import Testing

/// Every IPC command's answers and refusals (HYPERGOLIX-0.1-WIRE §3.2), with the original's codes.
@Suite struct IPCCommandTests {
    @Test func tokens() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let app = try await daemon.app()
        let token = try await app.setToken()
        #expect(!token.isNull)
        #expect(await app.refusal(.setToken, AppToken.null.bytes) == IPCErrorCode.exception.rawValue, "a second new token")
        #expect(await app.refusal(.setToken, token.bytes) == IPCErrorCode.ipcError.rawValue, "a token while holding one")
        let other = try await daemon.app()
        #expect(await other.refusal(.setToken, token.bytes) == IPCErrorCode.ipcError.rawValue, "a token held elsewhere")
        #expect(await other.refusal(.setToken, AppToken.random().bytes) == IPCErrorCode.exception.rawValue, "an unknown token")
        #expect(await other.refusal(.setToken, [1, 2, 3]) == IPCErrorCode.exception.rawValue, "not 16 bytes")
        await app.close()
        // Once its holder is gone, the token can be taken up again.
        #expect(await eventually { (try? await other.setToken(token)) == token })
    }

    @Test func startupObjects() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let app = try await daemon.app()
        #expect(await app.refusal(.getStartup) == IPCErrorCode.exception.rawValue, "needs a token")
        _ = try await app.setToken()
        #expect(try await app.request(.getStartup) == [], "none yet")
        let ghid = try await app.new("start here")
        #expect(try await app.request(.registerStartup, ghid.bytes) == [1])
        #expect(try await app.request(.getStartup) == ghid.bytes)
        #expect(await app.refusal(.registerStartup, ghid.bytes) == IPCErrorCode.exception.rawValue, "already set")
        #expect(try await app.request(.deregisterStartup) == [1])
        #expect(try await app.request(.getStartup) == [])
    }

    @Test func apiRegistration() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let app = try await daemon.app()
        let api = ApiID.named("test.api")
        #expect(try await app.request(.registerAPI, api.bytes) == [1])
        #expect(try await app.request(.deregisterAPI, api.bytes) == [1])
        #expect(await app.refusal(.registerAPI, [1] + [UInt8](repeating: 0, count: 64)) != nil, "algorithm byte must be 0")
        let maker = try await daemon.app()
        _ = try await maker.new("after deregistration", apiID: api)
        try await Task.sleep(for: .milliseconds(100))
        #expect(await app.inbox.shares.isEmpty)
    }

    @Test func badRequestsGetClearRefusals() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let app = try await daemon.app()
        let unknown = Ghid.pseudorandom()
        #expect(await app.refusal(.getObject, unknown.bytes) == IPCErrorCode.doesNotExist.rawValue)
        #expect(await app.refusal(.getObject, [1, 2]) == IPCErrorCode.exception.rawValue)
        #expect(await app.refusal(.newObject, [0, 1, 2]) == IPCErrorCode.exception.rawValue, "a short objdef")
        #expect(await app.refusal(.newObject, ObjectDefinition(isLink: true, state: [1]).serialized()) == IPCErrorCode.exception.rawValue,
                "links are not supported")
        #expect(await app.refusal(.updateObject, ObjectDefinition(state: [1]).serialized()) != nil, "an update needs an address")
        #expect(await app.refusal(.updateObject, ObjectDefinition(address: unknown, state: [1]).serialized()) != nil)
        #expect(await app.refusal(.syncObject, unknown.bytes) != nil, "nothing to sync from without remotes")
        #expect(await app.refusal(.deleteObject, unknown.bytes) != nil)
        #expect(await app.refusal(.holdObject, unknown.bytes) != nil)
        #expect(await app.refusal(RequestCode("ZZ")) == IPCErrorCode.exception.rawValue, "unknown request codes are 00 00")
        // Legroom 0 means the default, not a failure (§7.6).
        let zero = try require2(Ghid(bytes: try await app.request(.newObject, ObjectDefinition(legroom: nil, state: [7]).serialized())))
        #expect(try await app.get(zero).state == [7])
        #expect(try await app.request(.whoami) == daemon.fingerprint.bytes, "the connection survives every refusal")
    }

    @Test func syncPullsFromARemote() async throws {
        let server = try await RunningServer()
        defer { Task { await server.stop() } }
        let writer = try await TestDaemon(servers: [server.port])
        defer { Task { await writer.stop() } }
        #expect(await writer.daemon.waitForRemotes())
        let app = try await writer.app()
        let ghid = try await app.new("v1")
        #expect(await eventually { (try? writer.daemon.queuedUploads(for: "127.0.0.1:\(server.port)")) == 0 })
        #expect(try await app.request(.syncObject, ghid.bytes) == [1])
    }
}
