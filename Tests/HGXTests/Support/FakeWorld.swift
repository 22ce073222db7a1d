import Golix
import HGX

/// Two users' fake daemons on one fake network, and the links a test opens to them; everything is stopped
/// when the test body returns or throws.
struct FakeWorld: Sendable {
    let network: FakeNetwork
    let alice: FakeDaemon
    let bob: FakeDaemon
    private let links = Recorder<HGXLink>()

    static func run(_ body: (FakeWorld) async throws -> Void) async throws {
        let network = FakeNetwork()
        let alice = await FakeDaemon(network: network)
        let bob = await FakeDaemon(network: network)
        try await alice.start()
        try await bob.start()
        let world = FakeWorld(network: network, alice: alice, bob: bob)
        do {
            try await body(world)
        } catch {
            await world.shutdown()
            throw error
        }
        await world.shutdown()
    }

    /// A new link to `daemon`.
    func link(_ daemon: FakeDaemon, reconnectWait: Duration? = .seconds(20)) async throws -> HGXLink {
        let link = try await HGXLink.connect(configuration: .testing(port: await daemon.port, reconnectWait: reconnectWait))
        links.append(link)
        return link
    }

    func shutdown() async {
        for link in links.all { await link.stop() }
        await alice.stop()
        await bob.stop()
    }
}
