import HGX
import Testing

/// docs/hgx.md's quick start, as written there (only `import HGX`), against two fake users.
@Suite struct QuickStartTests {
    @Test func theQuickStartRuns() async throws {
        try await FakeWorld.run { world in
            let bobsLink = try await world.link(world.bob)
            let received = Recorder<JSONValue>()
            let bobSide = Task {
                for await share in try await bobsLink.shares(for: JSONCodec.defaultAPIID) {
                    let object = try await bobsLink.get(JSONCodec.self, share.ghid)
                    received.append(object.state)
                    for await event in object.updates {
                        if case .updated(let state) = event { received.append(state) }
                    }
                }
            }
            #expect(await eventually { await world.bob.received.contains { $0.code == .registerAPI } })

            // The quick start, with the fake daemon's port and Bob's fingerprint from the fake world.
            let link = try await HGXLink.connect(ipcPort: await world.alice.port)
            let bob = try #require(Ghid(base64: bobsLink.whoami.base64))
            let greeting = try await link.new(JSONCodec.self, state: "Hello world!")
            try await greeting.share(with: bob)
            #expect(await received.wait(for: 1) == ["Hello world!"])
            try await greeting.push("Hello world! Welcome to Hypergolix.")
            let again = try await link.get(JSONCodec.self, greeting.ghid)
            #expect(again === greeting)
            #expect(await received.wait(for: 2) == ["Hello world!", "Hello world! Welcome to Hypergolix."])
            await link.stop()
            bobSide.cancel()
        }
    }
}
