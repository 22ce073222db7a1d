import Logging
import Mesh
import TestSupport
import Testing
import TalkerServer

/// Several talker servers in this process, each with a client port and a peer port on
/// ephemeral loopback ports, not yet linked.
struct TalkerCluster {
    let servers: [TalkerServer]
    let clientPorts: [Int]
    let peerPorts: [Int]

    static func configuration() -> TalkerConfiguration {
        TalkerConfiguration()
    }

    static func meshConfiguration() -> MeshConfiguration {
        var configuration = MeshConfiguration()
        configuration.reconnectInitialDelay = .milliseconds(20)
        configuration.reconnectMaximumDelay = .milliseconds(200)
        // The whole test suite runs in parallel on two cores; a loaded machine must not look like a dead peer.
        configuration.handshakeTimeout = .seconds(30)
        configuration.connectTimeout = .seconds(30)
        return configuration
    }

    /// Runs `body` on fresh servers and shuts them down afterwards, also when `body` throws.
    @discardableResult
    static func with<Result>(
        _ count: Int,
        configuration: TalkerConfiguration = configuration(),
        _ body: (TalkerCluster) async throws -> Result
    ) async throws -> Result {
        var servers: [TalkerServer] = []
        var clientPorts: [Int] = []
        var peerPorts: [Int] = []
        for index in 0..<count {
            let server = makeServer(index, configuration: configuration)
            servers.append(server)
            clientPorts.append(try await server.start(host: "127.0.0.1", port: 0))
            peerPorts.append(try await server.mesh.listen(host: "127.0.0.1", port: 0))
        }
        let cluster = TalkerCluster(servers: servers, clientPorts: clientPorts, peerPorts: peerPorts)
        do {
            let result = try await body(cluster)
            await cluster.shutdown()
            return result
        } catch {
            await cluster.shutdown()
            throw error
        }
    }

    static func makeServer(_ index: Int, id: NodeID = .random(), configuration: TalkerConfiguration = configuration()) -> TalkerServer {
        var logger = Logger(label: "talker-test-\(index)")
        logger.logLevel = .critical
        let mesh = MeshNode(id: id, configuration: meshConfiguration(), logger: logger)
        return TalkerServer(configuration: configuration, mesh: mesh, logger: logger)
    }

    subscript(index: Int) -> TalkerServer { servers[index] }

    /// Server `from` dials server `to` and waits until every server sees every other.
    func link(_ edges: [(Int, Int)]) async throws {
        for (from, to) in edges {
            _ = try await servers[from].mesh.connect(host: "127.0.0.1", port: peerPorts[to])
        }
        let components = Self.components(count: servers.count, edges: edges)
        for (index, server) in servers.enumerated() {
            let expected = Set(components[index].map { servers[$0].mesh.id })
            await eventually("server \(index) sees its part of the mesh") {
                await server.mesh.topology.reachable == expected
            }
        }
    }

    static func components(count: Int, edges: [(Int, Int)]) -> [Set<Int>] {
        var parent = Array(0..<count)
        func root(_ node: Int) -> Int {
            var node = node
            while parent[node] != node { node = parent[node] }
            return node
        }
        for (a, b) in edges { parent[root(a)] = root(b) }
        return (0..<count).map { node in Set((0..<count).filter { root($0) == root(node) }) }
    }

    /// A client connected to server `index`, its welcome line read, named `name` if given.
    func client(of index: Int, named name: String? = nil) async throws -> TalkerClient {
        let client = try await TalkerClient.connect(port: clientPorts[index])
        let welcome = await client.nextLine()
        #expect(welcome?.hasPrefix("*** welcome to the talker") == true)
        if let name {
            try await client.send("/name \(name)")
            #expect(await client.nextLine() == "*** you are now \(name)")
        }
        return client
    }

    /// Stops every dialer before shutting anything down: a server re-dialling a peer that just
    /// went away could otherwise reach whatever parallel test was handed that port next.
    func shutdown() async {
        for server in servers {
            for endpoint in await server.mesh.dialledEndpoints {
                await server.mesh.disconnect(host: endpoint.host, port: endpoint.port)
            }
        }
        for server in servers {
            await Self.shutdown(server)
        }
    }

    /// The servers are given their mesh nodes, so they leave shutting them down to the owner.
    static func shutdown(_ server: TalkerServer) async {
        await server.shutdown()
        await server.mesh.shutdown()
    }
}

/// Topologies the speech tests run on, as edges between server indices.
enum Layout: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case line, ring, star

    func edges(count: Int) -> [(Int, Int)] {
        switch self {
        case .line: return (0..<(count - 1)).map { ($0, $0 + 1) }
        case .ring: return (0..<count).map { ($0, ($0 + 1) % count) }
        case .star: return (1..<count).map { ($0, 0) }
        }
    }

    var testDescription: String { rawValue }
}
