import Foundation
import Golix
import HypergolixWire
import Logging
import TestSupport
import Testing

/// The original daemons and `hgx` client work unchanged through our server, and what they uploaded comes
/// back byte for byte.
@Suite(.serialized, .enabled(if: InteropEnvironment.shouldRun)) struct ServerInteropTests {
    @Test func originalDaemonsShareThroughOurServer() async throws {
        guard InteropEnvironment.require() else { return }
        try await InteropLock.shared.run {
            let run = try InteropRun(server: .cmd, alice: .py, bob: .py)
            defer { run.stop() }
            try await run.start()
            let verdict = try await run.demo(updates: 10)
            print("interop server=ours alice=py bob=py: \(verdict)")

            // Every object in the original daemons' caches that our server holds is byte-identical, and the
            // ones it must hold (identities, current frames and what they point at) are there.
            var logger = Logger(label: "interop.check")
            logger.logLevel = .critical
            let client = try await PersistenceClient.connect(host: "127.0.0.1", port: run.serverPort, logger: logger)
            defer { Task { await client.close() } }
            var compared = 0
            var kinds = [String: Int]()
            var absent = [String: Int]()
            for role in ["alice", "bob"] {
                let cache = run.stateDirectory(role).appendingPathComponent(".hypergolix/ghidcache")
                for file in try FileManager.default.contentsOfDirectory(atPath: cache.path) where file.hasSuffix(".ghid") {
                    let ghid = try #require(Ghid(base64: file.dropLast(5)), "cache file name \(file)")
                    let local = try [UInt8](Data(contentsOf: cache.appendingPathComponent(file)))
                    let kind = String(decoding: local.prefix(4), as: UTF8.self)
                    guard try await client.exists(ghid) else {
                        absent[kind, default: 0] += 1
                        continue
                    }
                    let remote = try await client.get(ghid)
                    #expect(remote == local, "\(role) \(kind) \(ghid) differs")
                    compared += 1
                    kinds[kind, default: 0] += 1
                }
            }
            for role in ["alice", "bob"] {
                let fingerprint = try #require(run.fingerprint(role).flatMap { Ghid(base64: $0) })
                #expect(try await client.exists(fingerprint), "\(role)'s identity is on our server")
            }
            print("compared \(compared) objects byte for byte: \(kinds.sorted { $0.key < $1.key }); "
                + "cached locally but collected on the server: \(absent.sorted { $0.key < $1.key })")
            // What the server no longer holds must be what its rules collected: never an identity.
            #expect(absent["GIDC"] == nil)
            #expect(kinds["GIDC"] ?? 0 >= 2)
            #expect(kinds["GOBD"] ?? 0 >= 10, "account and app frames")
            #expect(kinds["GEOC"] ?? 0 >= 10)
        }
    }
}
