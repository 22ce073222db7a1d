import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Golix
import HypergolixServer
import HypergolixWire
import TestSupport
import Testing

/// Every persistence command against a real server over WebSockets (HYPERGOLIX-0.1-WIRE §2.1).
@Suite struct ServerProtocolTests {
    let alice = People.alice
    let bob = People.bob

    func refusal(_ body: () async throws -> Void) async -> UInt16? {
        do {
            try await body()
            return nil
        } catch let error as WireError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func pingPublishGetAndQueries() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let client = try await running.client()
        #expect(try await client.ping())
        try await client.publish(alice.identity.serialized())
        try await client.publish(alice.identity.serialized())  // duplicates are fine
        #expect(try await client.get(alice.ghid) == alice.identity.serialized())

        let container = try alice.makeContainer(Array("hello".utf8), secret: .random())
        let binding = try alice.makeStaticBinding(target: container.ghid)
        try await client.publish(binding.serialized())
        try await client.publish(container.serialized())
        #expect(try await client.get(container.ghid) == container.serialized())
        #expect(try await client.exists(container.ghid))
        #expect(try await !client.exists(.pseudorandom()))
        #expect(try await client.bindings(of: container.ghid) == [binding.ghid])
        #expect(try await client.debindings(of: binding.ghid) == [])

        let frame = try alice.makeDynamicBinding(targets: [container.ghid], counter: 0, dynamic: nil)
        try await client.publish(frame.serialized())
        #expect(try await client.get(frame.dynamicGhid) == frame.serialized())
        let debinding = try alice.makeDebinding(target: binding.ghid)
        try await client.publish(debinding.serialized())
        #expect(try await client.debindings(of: binding.ghid) == [debinding.ghid])
        await client.close()
    }

    @Test func refusalsCarryTheOriginalsCodes() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let client = try await running.client()
        try await client.publish(alice.identity.serialized())
        let container = try alice.makeContainer([1], secret: .random())
        #expect(await refusal { try await client.publish(Array("junk".utf8)) } == 0x0001)
        var forged = try alice.makeStaticBinding(target: container.ghid).serialized()
        forged[forged.count - 1] ^= 1
        #expect(await refusal { try await client.publish(forged) } == 0x0002)
        #expect(await refusal { try await client.publish(bob.makeStaticBinding(target: container.ghid).serialized()) } == 0x0003)
        #expect(await refusal { try await client.publish(container.serialized()) } == 0x0004)
        #expect(await refusal { _ = try await client.get(.pseudorandom()) } == 0x0008)
        #expect(await refusal { _ = try await client.connection.request(.get, [1, 2, 3]) } == 0xFFFE)
        #expect(await refusal { _ = try await client.connection.request(RequestCode("ZZ")) } == 0x000E)
        // The connection survives every refusal.
        #expect(try await client.ping())
    }

    @Test func subscribersGetFramesOthersPublish() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let inbox = Inbox()
        let publisherInbox = Inbox()
        let publisher = try await running.client(onUpdate: publisherInbox.handler)
        let subscriber = try await running.client(onUpdate: inbox.handler)
        try await publisher.publish(alice.identity.serialized())

        let first = try alice.makeContainer([1], secret: .random())
        let frame0 = try alice.makeDynamicBinding(targets: [first.ghid], counter: 0, dynamic: nil)
        try await publisher.publish(frame0.serialized())
        try await publisher.publish(first.serialized())
        try await subscriber.subscribe(frame0.dynamicGhid)
        #expect(try await subscriber.subscriptions() == [frame0.dynamicGhid])
        try await publisher.subscribe(frame0.dynamicGhid)

        // Binding first, container second: the push waits for the container.
        let second = try alice.makeContainer([2], secret: .random())
        let frame1 = try alice.makeDynamicBinding(targets: [second.ghid, first.ghid], counter: 1, dynamic: frame0.dynamicGhid)
        try await publisher.publish(frame1.serialized())
        #expect(await inbox.count == 0)
        try await publisher.publish(second.serialized())
        let updates = await inbox.wait(for: 1)
        #expect(updates.count == 1)
        #expect(updates.first?.subscription == frame0.dynamicGhid)
        #expect(updates.first?.object == frame1.serialized())
        // The subscriber can fetch what the frame points at.
        #expect(try await subscriber.get(second.ghid) == second.serialized())

        // Deletion reaches subscribers as the debinding.
        let debinding = try alice.makeDebinding(target: frame0.dynamicGhid)
        try await publisher.publish(debinding.serialized())
        let afterDelete = await inbox.wait(for: 2)
        #expect(afterDelete.last?.object == debinding.serialized())
        // The publisher is not sent its own frame.
        #expect(await publisherInbox.count == 0)
    }

    @Test func requestsArePushedAndRepushedOnSubscribe() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let sender = try await running.client()
        try await sender.publish(alice.identity.serialized())
        try await sender.publish(bob.identity.serialized())
        let request = try alice.makeRequest(.handshake(target: .pseudorandom(), secret: .random()), to: bob.identity)
        try await sender.publish(request.serialized())

        let inbox = Inbox()
        let recipient = try await running.client(onUpdate: inbox.handler)
        try await recipient.subscribe(bob.ghid)
        let updates = await inbox.wait(for: 1)
        #expect(updates.map(\.object) == [request.serialized()])

        // After the recipient debinds it, it is gone and not re-pushed.
        try await recipient.publish(bob.makeDebinding(target: request.ghid).serialized())
        #expect(try await !recipient.exists(request.ghid))
        let again = Inbox()
        let second = try await running.client(onUpdate: again.handler)
        try await second.subscribe(bob.ghid)
        try await Task.sleep(for: .milliseconds(200))
        #expect(await again.count == 0)
    }

    @Test func unsubscribeAndDisconnect() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let client = try await running.client()
        let a = Ghid.pseudorandom()
        let b = Ghid.pseudorandom()
        try await client.subscribe(a)
        try await client.subscribe(b)
        #expect(Set(try await client.subscriptions()) == [a, b])
        #expect(try await client.unsubscribe(a))
        #expect(try await !client.unsubscribe(a))
        try await client.disconnect()
        #expect(try await client.subscriptions() == [])
        #expect(try await client.ping(), "XX leaves the socket open")
    }

    @Test func pipelinedPublishesApplyInOrder() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let client = try await running.client()
        try await client.publish(alice.identity.serialized())
        // Send a binding, its container and a get without waiting in between.
        var tokens = [UInt16]()
        var expected = [[UInt8]]()
        for index in 0..<50 {
            let container = try alice.makeContainer([UInt8(index)], secret: .random())
            tokens.append(try await client.connection.send(.publish, alice.makeStaticBinding(target: container.ghid).serialized()))
            tokens.append(try await client.connection.send(.publish, container.serialized()))
            tokens.append(try await client.connection.send(.get, container.ghid.bytes))
            expected += [[1], [1], container.serialized()]
        }
        var answers = [[UInt8]]()
        for token in tokens { answers.append(try await client.connection.response(to: token)) }
        #expect(answers == expected)
    }

    @Test func concurrentClients() async throws {
        let running = try await RunningServer()
        defer { Task { await running.stop() } }
        let setup = try await running.client()
        try await setup.publish(alice.identity.serialized())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    let client = try await running.client()
                    for index in 0..<20 {
                        let container = try People.alice.makeContainer([UInt8(worker), UInt8(index)], secret: .random())
                        try await client.publish(People.alice.makeStaticBinding(target: container.ghid).serialized())
                        try await client.publish(container.serialized())
                        #expect(try await client.get(container.ghid) == container.serialized())
                    }
                    await client.close()
                }
            }
            try await group.waitForAll()
        }
        #expect(try await setup.ping())
    }

    @Test func dataSurvivesARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hgx-server-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let container = try alice.makeContainer([7, 7, 7], secret: .random())
        let frame = try alice.makeDynamicBinding(targets: [container.ghid], counter: 0, dynamic: nil)
        let request = try alice.makeRequest(.ack(target: .pseudorandom(), status: 0), to: bob.identity)
        do {
            let running = try await RunningServer(cacheDirectory: directory.path)
            let client = try await running.client()
            for object in [alice.identity.serialized(), bob.identity.serialized(), frame.serialized(),
                           container.serialized(), request.serialized()] {
                try await client.publish(object)
            }
            await client.close()
            await running.stop()
        }
        let restarted = try await RunningServer(cacheDirectory: directory.path)
        defer { Task { await restarted.stop() } }
        let inbox = Inbox()
        let client = try await restarted.client(onUpdate: inbox.handler)
        #expect(try await client.get(frame.dynamicGhid) == frame.serialized())
        #expect(try await client.get(container.ghid) == container.serialized())
        try await client.subscribe(bob.ghid)
        #expect(await inbox.wait(for: 1).map(\.object) == [request.serialized()])
    }

    @Test func healthCheckAnswersGet() async throws {
        let running = try await RunningServer(healthPort: 0)
        defer { Task { await running.stop() } }
        let healthPort = try #require(await running.server.healthPort())
        for port in [running.port, healthPort] {
            let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
        }
    }
}
