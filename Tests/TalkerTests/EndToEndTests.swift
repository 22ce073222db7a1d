import Foundation
import TestSupport
import Testing
import TalkerServer

/// Real `talker` processes, linked with the same commands a person would type, spoken to
/// through TCP.
@Suite(.timeLimit(.minutes(2))) struct EndToEndTests {
    @Test func threeTalkerProcessesFormOneRoom() async throws {
        let processes = try (0..<3).map { _ in try TalkerProcess(arguments: ["--port", "0", "--log-level", "warning"]) }
        do {
            try await converse(processes)
        } catch {
            for process in processes.reversed() { _ = await process.stop() }
            throw error
        }
        // Each talker dialled the one before it; stopping the last first means no talker is left
        // re-dialling a port that another test may have been handed meanwhile.
        for (index, process) in processes.enumerated().reversed() {
            #expect(await process.stop() == 0, "talker \(index) did not shut down cleanly: \(process.errors.lines)")
        }
    }

    private func converse(_ processes: [TalkerProcess]) async throws {
        var clients: [TalkerClient] = []
        for (index, name) in ["alice", "bob", "carol"].enumerated() {
            let port = try #require(await processes[index].clientPort(), "talker \(index) did not start: \(processes[index].errors.lines)")
            let client = try await TalkerClient.connect(port: port)
            #expect(await client.nextLine()?.hasPrefix("*** welcome to the talker") == true)
            try await client.send("/name \(name)")
            #expect(await client.nextLine() == "*** you are now \(name)")
            clients.append(client)
        }
        let (alice, bob, carol) = (clients[0], clients[1], clients[2])

        // alice's server listens, bob's links to it and listens, carol's links to bob's: a line.
        let alicePeerPort = try await listenForPeers(alice)
        try await bob.send("/peer-connect 127.0.0.1 \(alicePeerPort)")
        #expect(await bob.nextLine() == "*** connecting to 127.0.0.1:\(alicePeerPort)")
        #expect(await bob.nextLine()?.hasPrefix("*** linked to server ") == true)
        let bobPeerPort = try await listenForPeers(bob)
        try await carol.send("/peer-connect 127.0.0.1 \(bobPeerPort)")
        #expect(await carol.nextLine() == "*** connecting to 127.0.0.1:\(bobPeerPort)")
        #expect(await carol.nextLine()?.hasPrefix("*** linked to server ") == true)

        // The ends learn of each other through the flood; ask until they have.
        await eventually("carol's server sees all three") {
            try? await carol.send("/who")
            return await carol.nextLine(where: { $0.hasPrefix("*** who: ") }) == "*** who: 3 people on 3 servers"
        }
        var listed: Set<String> = []
        for _ in 0..<3 {
            listed.insert(String(await carol.nextLine()?.split(separator: " ").last ?? ""))
        }
        #expect(listed == ["alice", "bob", "carol"])

        try await carol.send("hello from the far end")
        try await alice.send("hello back")
        // Lines from different speakers may interleave differently on each server.
        for client in clients {
            let first = await client.nextLine(where: { !$0.hasPrefix("***") })
            let second = await client.nextLine(where: { !$0.hasPrefix("***") })
            #expect(Set([first, second]) == ["carol: hello from the far end", "alice: hello back"])
        }

        try await bob.send("/peers")
        #expect(await bob.nextLine(where: { $0.hasPrefix("*** network:") }) == "*** network: 3 servers reachable")

        try await alice.send("/quit")
        #expect(await alice.nextLine(where: { $0 == "*** bye" }) == "*** bye")
        #expect(await alice.isClosedByServer())
        for client in clients { await client.close() }
    }

    private func listenForPeers(_ client: TalkerClient) async throws -> Int {
        try await client.send("/peer-listen 127.0.0.1 0")
        let line = try #require(await client.nextLine())
        #expect(line.hasPrefix("*** listening for peers on 127.0.0.1:"))
        return try #require(line.split(separator: ":").last.flatMap { Int($0) })
    }

    @Test func badOptionsAreRefusedAtStartup() async throws {
        let process = try TalkerProcess(arguments: ["--port", "70000"])
        await eventually("talker exits") { !process.process.isRunning }
        #expect(process.process.terminationStatus != 0)
        await eventually("it says why") { process.errors.lines.contains { $0.contains("--port must be 0 to 65535") } }
    }
}
