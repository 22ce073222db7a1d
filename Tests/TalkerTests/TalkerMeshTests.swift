import Logging
import Mesh
import NIOCore
import TestSupport
import Testing

@testable import TalkerServer

/// Several servers linked into a mesh, with clients on each.
@Suite(.timeLimit(.minutes(2))) struct TalkerMeshTests {
    @Test(arguments: Layout.allCases)
    func everyClientOnEveryServerHearsEachLineExactlyOnce(_ layout: Layout) async throws {
        try await TalkerCluster.with(4) { cluster in
            try await cluster.link(layout.edges(count: 4))
            var clients: [(name: String, client: TalkerClient)] = []
            for server in 0..<4 {
                for seat in 0..<2 {
                    let name = "s\(server)c\(seat)"
                    clients.append((name, try await cluster.client(of: server, named: name)))
                }
            }
            let linesEach = 10
            for (name, client) in clients {
                for number in 0..<linesEach {
                    try await client.send("line \(number) from \(name)")
                }
            }
            // Barrier: once everyone has every "done", any duplicate a loop could bring back
            // would already have come, because each link delivers in order.
            for (_, client) in clients {
                try await client.send("done")
            }
            let expected = clients.flatMap { name, _ in (0..<linesEach).map { "\(name): line \($0) from \(name)" } }
            let dones = Set(clients.map { "\($0.name): done" })
            for (name, client) in clients {
                var heardDone = Set<String>()
                while heardDone != dones, let line = await client.nextLine() {
                    if dones.contains(line) { heardDone.insert(line) }
                }
                #expect(heardDone == dones, "\(name) missed some lines")
                let heard = await client.allLines.filter { $0.contains(": line ") }
                #expect(heard.count == expected.count, "\(name) heard \(heard.count) lines, not \(expected.count)")
                #expect(Set(heard) == Set(expected), "\(name) heard the wrong lines")
                // Each speaker's lines arrive in the order spoken.
                for (speaker, _) in clients {
                    let fromSpeaker = heard.filter { $0.hasPrefix("\(speaker): ") }
                    #expect(fromSpeaker == (0..<linesEach).map { "\(speaker): line \($0) from \(speaker)" })
                }
            }
            for (_, client) in clients { await client.close() }
        }
    }

    /// Reads a `/who` answer: the summary line, then one line per server.
    static func readWho(_ client: TalkerClient) async -> (summary: String, servers: [String: String]) {
        guard let summary = await client.nextLine(where: { $0.hasPrefix("*** who: ") }) else {
            return ("<no answer>", [:])
        }
        let count = summary.split(separator: " ").dropLast().last.flatMap { Int($0) } ?? 0
        var servers: [String: String] = [:]
        for _ in 0..<count {
            guard let line = await client.nextLine(), let colon = line.firstIndex(of: ":") else { break }
            let server = line.dropFirst(6).prefix(8)
            servers[String(server)] = String(line[line.index(colon, offsetBy: 2)...])
        }
        return (summary, servers)
    }

    @Test(arguments: Layout.allCases)
    func whoListsEveryoneOnEveryReachableServer(_ layout: Layout) async throws {
        try await TalkerCluster.with(4) { cluster in
            try await cluster.link(layout.edges(count: 4))
            let alice = try await cluster.client(of: 0, named: "alice")
            let bob = try await cluster.client(of: 0, named: "bob")
            let carol = try await cluster.client(of: 2, named: "carol")
            let dave = try await cluster.client(of: 3, named: "dave")
            try await dave.send("/who")
            let (summary, servers) = await Self.readWho(dave)
            #expect(summary == "*** who: 4 people on 4 servers")
            let ids = cluster.servers.map { $0.mesh.id.shortDescription }
            #expect(servers == [ids[0]: "alice, bob", ids[1]: "nobody", ids[2]: "carol", ids[3]: "dave"])
            for client in [alice, bob, carol, dave] { await client.close() }
        }
    }

    @Test func whoIsAnsweredLaterWhileTheUserGoesOnTyping() async throws {
        // The held-back answer must beat the deadline however loaded the machine is; another test covers the timeout.
        var configuration = TalkerCluster.configuration()
        configuration.whoTimeout = .seconds(60)
        try await TalkerCluster.with(2, configuration: configuration) { cluster in
            try await cluster.link([(0, 1)])
            // A third node whose answer the test holds back.
            var logger = Logger(label: "held-back")
            logger.logLevel = .critical
            let slow = MeshNode(configuration: TalkerCluster.meshConfiguration(), logger: logger)
            let gate = Gate()
            await slow.setResponder(for: WhoAnswer.messageType) { _ in
                await gate.wait()
                return WhoAnswer(names: ["zed"]).encoded
            }
            do {
                _ = try await slow.connect(host: "127.0.0.1", port: cluster.peerPorts[1])
                let everyone = Set(cluster.servers.map(\.mesh.id) + [slow.id])
                await eventually("the mesh sees the third node") { await cluster[0].mesh.topology.reachable == everyone }
                let erin = try await cluster.client(of: 0, named: "erin")
                try await erin.send("/who")
                await eventually("the query reached the held-back node") { await gate.waiters == 1 }
                try await erin.send("meanwhile, hello")
                #expect(await erin.nextLine() == "erin: meanwhile, hello")
                await gate.open()
                let (summary, servers) = await Self.readWho(erin)
                #expect(summary == "*** who: 2 people on 3 servers")
                #expect(servers[slow.id.shortDescription] == "zed")
                await erin.close()
            } catch {
                await slow.shutdown()
                throw error
            }
            await slow.shutdown()
        }
    }

    @Test func whoNamesTheServersThatDidNotAnswerInTime() async throws {
        var configuration = TalkerCluster.configuration()
        configuration.whoTimeout = .seconds(2)
        try await TalkerCluster.with(1, configuration: configuration) { cluster in
            var logger = Logger(label: "silent")
            logger.logLevel = .critical
            let silent = MeshNode(configuration: TalkerCluster.meshConfiguration(), logger: logger)
            let gate = Gate()
            await silent.setResponder(for: WhoAnswer.messageType) { _ in
                await gate.wait()
                return nil
            }
            do {
                _ = try await silent.connect(host: "127.0.0.1", port: cluster.peerPorts[0])
                await eventually("linked") { await cluster[0].mesh.topology.reachable.count == 2 }
                let fred = try await cluster.client(of: 0, named: "fred")
                try await fred.send("/who")
                #expect(await fred.nextLine() == "*** who: 1 person on 1 server")
                #expect(await fred.nextLine() == "***   \(cluster[0].mesh.id.shortDescription) (this server): fred")
                #expect(await fred.nextLine() == "***   no answer in time from \(silent.id.shortDescription)")
                await gate.open()
                await fred.close()
            } catch {
                await silent.shutdown()
                throw error
            }
            await silent.shutdown()
        }
    }

    @Test func peerCommandsLinkServers() async throws {
        try await TalkerCluster.with(2) { cluster in
            // These servers' mesh nodes already listen; the commands add a second peer port.
            let alice = try await cluster.client(of: 0, named: "alice")
            let bob = try await cluster.client(of: 1, named: "bob")
            try await alice.send("/peer-listen 127.0.0.1 0")
            let listening = try #require(await alice.nextLine())
            #expect(listening.hasPrefix("*** listening for peers on 127.0.0.1:"))
            let port = try #require(listening.split(separator: ":").last.flatMap { Int($0) })
            try await bob.send("/peer-connect 127.0.0.1 \(port)")
            #expect(await bob.nextLine() == "*** connecting to 127.0.0.1:\(port)")
            #expect(await bob.nextLine() == "*** linked to server \(cluster[0].mesh.id.shortDescription) at 127.0.0.1:\(port)")
            await eventually("the servers see each other") { await cluster[0].mesh.topology.reachable.count == 2 }
            try await alice.send("hello bob")
            #expect(await bob.nextLine() == "alice: hello bob")

            try await bob.send("/peer-connect 127.0.0.1 \(port)")
            #expect(await bob.nextLine() == "*** connecting to 127.0.0.1:\(port)")
            #expect(await bob.nextLine() == "*** error: already connecting to 127.0.0.1:\(port)")
            try await alice.send("/peer-listen 127.0.0.1 \(port)")
            #expect(await alice.nextLine(where: { $0.hasPrefix("***") })?.hasPrefix("*** error: cannot listen on 127.0.0.1:\(port): ") == true)
            await alice.close()
            await bob.close()
        }
    }

    @Test func aFailedPeerConnectSaysWhy() async throws {
        let closed = try ReservedPort()
        try await TalkerCluster.with(1) { cluster in
            let alice = try await cluster.client(of: 0)
            try await alice.send("/peer-connect 127.0.0.1 \(closed.port)")
            #expect(await alice.nextLine() == "*** connecting to 127.0.0.1:\(closed.port)")
            #expect(await alice.nextLine() == "*** error: cannot connect to 127.0.0.1:\(closed.port): Connection refused")
            await alice.close()
        }
    }

    @Test func speechCrossesAHealedPartition() async throws {
        let reserved = try ReservedPort()
        try await TalkerCluster.with(2) { cluster in
            try await cluster.link([(0, 1)])
            let alice = try await cluster.client(of: 0, named: "alice")
            // The far server's peer port is reserved, so that no parallel test can take it while
            // the server is down and server 1 keeps re-dialling it.
            let farID = NodeID.random()
            let far = TalkerCluster.makeServer(2, id: farID)
            _ = try await far.start(host: "127.0.0.1", port: 0)
            _ = try await far.mesh.listen(host: "127.0.0.1", port: reserved.port)
            _ = try await cluster[1].mesh.connect(host: "127.0.0.1", port: reserved.port)
            await eventually("server 0 sees three servers") { await cluster[0].mesh.topology.reachable.count == 3 }

            await TalkerCluster.shutdown(far)
            await eventually("server 0 sees the far server gone") { await cluster[0].mesh.topology.reachable.count == 2 }
            try await alice.send("/who")
            #expect(await Self.readWho(alice).summary == "*** who: 1 person on 2 servers")

            let restarted = TalkerCluster.makeServer(2, id: farID)
            do {
                let clientPort = try await restarted.start(host: "127.0.0.1", port: 0)
                _ = try await restarted.mesh.listen(host: "127.0.0.1", port: reserved.port)
                await eventually("the partition heals") { await cluster[0].mesh.topology.reachable.count == 3 }
                await eventually("the restarted server sees everyone") { await restarted.mesh.topology.reachable.count == 3 }
                let carol = try await TalkerClient.connect(port: clientPort)
                _ = await carol.nextLine()
                try await alice.send("welcome back")
                #expect(await carol.nextLine() == "alice: welcome back")
                await carol.close()
            } catch {
                await TalkerCluster.shutdown(restarted)
                throw error
            }
            await TalkerCluster.shutdown(restarted)
            await alice.close()
        }
    }
}
