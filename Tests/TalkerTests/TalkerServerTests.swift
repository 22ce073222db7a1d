import Mesh
import NIOCore
import TestSupport
import Testing

@testable import TalkerServer

/// One server, one or two clients: the protocol as a person meets it.
@Suite(.timeLimit(.minutes(2))) struct TalkerServerTests {
    @Test func aClientIsWelcomedAndHearsItself() async throws {
        try await TalkerCluster.with(1) { cluster in
            let client = try await TalkerClient.connect(port: cluster.clientPorts[0])
            let welcome = try #require(await client.nextLine())
            #expect(welcome.hasPrefix("*** welcome to the talker on server \(cluster[0].mesh.id.shortDescription); you are guest"))
            try await client.send("hello, world")
            #expect(await client.nextLine()?.hasSuffix(": hello, world") == true)
            await client.close()
        }
    }

    @Test func helpListsEveryCommand() async throws {
        try await TalkerCluster.with(1) { cluster in
            let client = try await cluster.client(of: 0)
            try await client.send("/help")
            var lines: [String] = []
            while let line = await client.nextLine(), !line.hasPrefix("*** anything else") {
                lines.append(line)
            }
            for command in ["/help", "/name NAME", "/who", "/peer-listen HOST PORT", "/peer-connect HOST PORT", "/peers", "/quit"] {
                #expect(lines.contains { $0.hasPrefix("***   \(command) ") }, "\(command) missing from /help")
            }
            await client.close()
        }
    }

    @Test func namesTagSpeech() async throws {
        try await TalkerCluster.with(1) { cluster in
            let alice = try await cluster.client(of: 0, named: "alice")
            let bob = try await cluster.client(of: 0, named: "bob")
            try await alice.send("hi bob")
            #expect(await bob.nextLine() == "alice: hi bob")
            #expect(await alice.nextLine() == "alice: hi bob")
            try await bob.send("//slashes are fine")
            #expect(await alice.nextLine() == "bob: /slashes are fine")
            #expect(Set(await cluster[0].localNames) == ["alice", "bob"])
            await alice.close()
            await bob.close()
        }
    }

    @Test func badNamesAndTakenNamesAreRefused() async throws {
        try await TalkerCluster.with(1) { cluster in
            let alice = try await cluster.client(of: 0, named: "alice")
            let other = try await cluster.client(of: 0)
            try await other.send("/name ALICE")
            #expect(await other.nextLine() == "*** error: someone on this server is already called ALICE")
            try await other.send("/name ***")
            #expect(await other.nextLine() == "*** error: names use only letters, digits, _ - and .")
            try await other.send("/name \(String(repeating: "x", count: 25))")
            #expect(await other.nextLine() == "*** error: names are 1 to 24 characters")
            try await alice.send("/name alice")
            #expect(await alice.nextLine() == "*** you are now alice", "keeping one's own name is fine")
            await alice.close()
            await other.close()
        }
    }

    @Test func badInputGetsAOneLineErrorAndTheSessionGoesOn() async throws {
        try await TalkerCluster.with(1) { cluster in
            let client = try await cluster.client(of: 0, named: "carol")
            let cases: [([UInt8], String)] = [
                (Array("/dance\r\n".utf8), "*** error: unknown command /dance (try /help)"),
                (Array("/name\r\n".utf8), "*** error: usage: /name NAME"),
                (Array("/peer-connect here\r\n".utf8), "*** error: usage: /peer-connect HOST PORT"),
                (Array("/peer-connect here there\r\n".utf8), "*** error: \"there\" is not a port number"),
                ([0x68, 0xFF, 0xFE, 0x0D, 0x0A], "*** error: line is not valid UTF-8; it was ignored"),
                (Array("bell \u{07}\r\n".utf8), "*** error: line contains control characters; it was ignored"),
                ([UInt8](repeating: 0x78, count: 5000) + [0x0D, 0x0A], "*** error: line too long (the limit is 2048 bytes); it was ignored"),
            ]
            for (bytes, error) in cases {
                try await client.send(bytes: bytes)
                #expect(await client.nextLine() == error)
            }
            // Blank lines are ignored; the next line shows the session is intact.
            try await client.send("   ")
            try await client.send("still here")
            #expect(await client.nextLine() == "carol: still here")
            await client.close()
        }
    }

    @Test func aClientThatNeverEndsItsLineCostsBoundedMemory() async throws {
        try await TalkerCluster.with(1) { cluster in
            let client = try await cluster.client(of: 0, named: "dave")
            let chunk = [UInt8](repeating: 0x78, count: 64 << 10)
            for _ in 0..<16 {
                try await client.send(bytes: chunk)
            }
            #expect(await client.nextLine() == "*** error: line too long (the limit is 2048 bytes); it was ignored")
            try await client.send(bytes: Array("\r\nafter\r\n".utf8))
            #expect(await client.nextLine() == "dave: after")
            await client.close()
        }
    }

    @Test func quitSaysByeAndCloses() async throws {
        try await TalkerCluster.with(1) { cluster in
            let client = try await cluster.client(of: 0, named: "erin")
            try await client.send("/quit")
            #expect(await client.nextLine() == "*** bye")
            #expect(await client.isClosedByServer())
            await eventually("the server forgets the client") { await cluster[0].localNames.isEmpty }
        }
    }

    @Test func peersDescribesLinksAndTopology() async throws {
        try await TalkerCluster.with(3) { cluster in
            try await cluster.link([(0, 1), (1, 2)])
            let client = try await cluster.client(of: 1)
            let ids = cluster.servers.map { $0.mesh.id.shortDescription }
            try await client.send("/peers")
            // A header, "links:", two links, the network line and three servers.
            var lines: [String] = []
            for _ in 0..<8 {
                lines.append(await client.nextLine() ?? "<nothing>")
            }
            #expect(lines.first?.hasPrefix("*** this server: \(cluster[1].mesh.id); listening for peers on 127.0.0.1:\(cluster.peerPorts[1])") == true)
            #expect(lines.contains { $0.hasPrefix("***   \(ids[0]) (accepted from") })
            #expect(lines.contains("***   \(ids[2]) (dialled 127.0.0.1:\(cluster.peerPorts[2]))"))
            #expect(lines.contains("*** network: 3 servers reachable"))
            #expect(lines.contains("***   \(ids[0]) links to \(ids[1])"))
            #expect(lines.contains { $0 == "***   \(ids[1]) (this server) links to \([ids[0], ids[2]].sorted().joined(separator: ", "))" })
            await client.close()
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct TalkerServerStartTests {
    @Test func aServerMayAcceptClientsOnSeveralPorts() async throws {
        let server = TalkerCluster.makeServer(0)
        let ports = [try await server.start(host: "127.0.0.1", port: 0), try await server.start(host: "127.0.0.1", port: 0)]
        let alice = try await TalkerClient.connect(port: ports[0])
        let bob = try await TalkerClient.connect(port: ports[1])
        _ = await alice.nextLine()
        _ = await bob.nextLine()
        try await alice.send("one")
        try await alice.send("two")
        #expect(await bob.nextLine()?.hasSuffix(": one") == true)
        #expect(await bob.nextLine()?.hasSuffix(": two") == true, "a line arrived twice")
        #expect(await server.clientEndpoints.count == 2)
        await alice.close()
        await bob.close()
        await TalkerCluster.shutdown(server)
    }
}
