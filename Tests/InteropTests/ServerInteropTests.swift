import Foundation
import Golix
import HypergolixWire
import Logging
import TestSupport
import Testing

/// The 8 combinations of {server, alice, bob} × {original, ours} run the toolkit's share demo with the
/// unchanged Python `hgx` 0.1.0 client (create, share, update, callbacks, delete, both directions). With our
/// server and the original daemons, everything they uploaded must also come back byte for byte.
@Suite(.serialized, .enabled(if: InteropEnvironment.shouldRun)) struct InteropMatrixTests {
    typealias Impl = InteropRun.Implementation

    static let combinations: [(Impl, Impl, Impl)] = Impl.allCases.flatMap { server in
        Impl.allCases.flatMap { alice in Impl.allCases.map { bob in (server, alice, bob) } }
    }

    @Test(arguments: combinations.map { "\($0.0.rawValue)-\($0.1.rawValue)-\($0.2.rawValue)" })
    func demoShare(_ name: String) async throws {
        guard InteropEnvironment.require() else { return }
        let parts = name.split(separator: "-").compactMap { Impl(rawValue: String($0)) }
        let (server, alice, bob) = (parts[0], parts[1], parts[2])
        // The original (server or daemon) cannot parse suite 3: any original role means suite 1 for ours.
        let mixed = [server, alice, bob].contains(.py)
        try await InteropLock.shared.run {
            let run = try InteropRun(server: server, alice: alice, bob: bob, configArguments: mixed ? "--cipher-suite 1" : "")
            do {
                try await run.start()
                let verdict = try await run.demo(updates: 10)
                print("interop server=\(server) alice=\(alice) bob=\(bob): \(verdict)")
                if server == .cmd, alice == .py, bob == .py {
                    try await Self.compareUploads(run)
                }
            } catch {
                await run.stop()
                throw error
            }
            await run.stop()
        }
    }

    /// Every object in the original daemons' caches that our server holds comes back byte-identical, and
    /// the ones it must hold (identities, frames, containers) are there.
    static func compareUploads(_ run: InteropRun) async throws {
        var logger = Logger(label: "interop.check")
        logger.logLevel = .critical
        let client = try await PersistenceClient.connect(host: "127.0.0.1", port: run.serverPort, logger: logger)
        defer { Task { await client.close() } }
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
                #expect(try await client.get(ghid) == local, "\(role) \(kind) \(ghid) differs")
                kinds[kind, default: 0] += 1
            }
        }
        print("compared \(kinds.values.reduce(0, +)) objects byte for byte: \(kinds.sorted { $0.key < $1.key }); "
            + "cached locally but collected on the server: \(absent.sorted { $0.key < $1.key })")
        #expect(absent["GIDC"] == nil, "identities are never collected")
        #expect(kinds["GIDC"] ?? 0 >= 2)
        #expect(kinds["GOBD"] ?? 0 >= 10, "account and app frames")
        #expect(kinds["GEOC"] ?? 0 >= 10)
    }
}
