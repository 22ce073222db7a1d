import Logging
import Mesh
import NIOCore
import TestSupport
import Testing

/// Several mesh nodes in this process, each listening on an ephemeral loopback port.
struct TestMesh {
    let nodes: [MeshNode]
    let ports: [Int]

    /// Runs `body` on a fresh mesh of `count` unlinked nodes and shuts it down afterwards, also
    /// when `body` throws.
    @discardableResult
    static func with<Result>(
        _ count: Int,
        configuration: MeshConfiguration = testConfiguration,
        _ body: (TestMesh) async throws -> Result
    ) async throws -> Result {
        let mesh = try await start(count, configuration: configuration)
        do {
            let result = try await body(mesh)
            await mesh.shutdown()
            return result
        } catch {
            await mesh.shutdown()
            throw error
        }
    }

    static func start(_ count: Int, configuration: MeshConfiguration = testConfiguration) async throws -> TestMesh {
        var nodes: [MeshNode] = []
        var ports: [Int] = []
        for index in 0..<count {
            var logger = Logger(label: "mesh-test-\(index)")
            logger.logLevel = .critical
            let node = MeshNode(configuration: configuration, logger: logger)
            ports.append(try await node.listen(host: "127.0.0.1", port: 0))
            nodes.append(node)
        }
        return TestMesh(nodes: nodes, ports: ports)
    }

    static var testConfiguration: MeshConfiguration {
        var configuration = MeshConfiguration()
        configuration.reconnectInitialDelay = .milliseconds(20)
        configuration.reconnectMaximumDelay = .milliseconds(200)
        // The whole test suite runs in parallel on two cores; a loaded machine must not look like a dead peer.
        configuration.handshakeTimeout = .seconds(30)
        configuration.connectTimeout = .seconds(30)
        return configuration
    }

    subscript(index: Int) -> MeshNode { nodes[index] }

    var ids: [NodeID] { nodes.map(\.id) }

    /// Node `from` dials node `to`.
    @discardableResult
    func link(_ from: Int, _ to: Int) async throws -> NodeID {
        try await nodes[from].connect(host: "127.0.0.1", port: ports[to])
    }

    func unlink(_ from: Int, _ to: Int) async {
        await nodes[from].disconnect(host: "127.0.0.1", port: ports[to])
    }

    /// Links the nodes in the given shape and waits until every node sees the whole mesh, or
    /// only its own links if `throughout` is false.
    func build(_ shape: Shape, throughout: Bool = true) async throws {
        for (from, to) in shape.edges(count: nodes.count) {
            try await link(from, to)
        }
        try await waitForConvergence(shape.edges(count: nodes.count), throughout: throughout)
    }

    /// Waits until every node has exactly the direct peers `edges` give it, reaches exactly the
    /// nodes connected to it, and knows each of those nodes' current peer set; with `throughout`
    /// false, only the first.
    func waitForConvergence(
        _ edges: [(Int, Int)],
        throughout: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var neighbours = Array(repeating: Set<NodeID>(), count: nodes.count)
        for (a, b) in edges {
            neighbours[a].insert(ids[b])
            neighbours[b].insert(ids[a])
        }
        let components = Self.components(count: nodes.count, edges: edges)
        for index in nodes.indices {
            let component = components[index]
            let expectedPeers = neighbours[index]
            await eventually("node \(index) converges", sourceLocation: sourceLocation) {
                let topology = await nodes[index].topology
                guard topology.directPeers == expectedPeers else { return false }
                guard throughout else { return true }
                return topology.reachable == Set(component.map { ids[$0] })
                    && component.allSatisfy { topology.peerSets[ids[$0]] == neighbours[$0] }
            }
        }
    }

    static func components(count: Int, edges: [(Int, Int)]) -> [Set<Int>] {
        var component = Array(0..<count)
        func root(_ node: Int) -> Int {
            var node = node
            while component[node] != node { node = component[node] }
            return node
        }
        for (a, b) in edges {
            component[root(a)] = root(b)
        }
        return (0..<count).map { node in Set((0..<count).filter { root($0) == root(node) }) }
    }

    /// Stops every dialer before shutting anything down: a node re-dialling a peer that just
    /// went away could otherwise reach whatever parallel test was handed that port next.
    func shutdown() async {
        for node in nodes {
            for endpoint in await node.dialledEndpoints {
                await node.disconnect(host: endpoint.host, port: endpoint.port)
            }
        }
        for node in nodes {
            await node.shutdown()
        }
    }
}

/// Mesh shapes the flooding tests run on.
enum Shape: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case line, ring, star, full

    func edges(count: Int) -> [(Int, Int)] {
        switch self {
        case .line: return (0..<(count - 1)).map { ($0, $0 + 1) }
        case .ring: return (0..<count).map { ($0, ($0 + 1) % count) }
        case .star: return (1..<count).map { ($0, 0) }
        case .full: return (0..<count).flatMap { a in ((a + 1)..<count).map { (a, $0) } }
        }
    }

    var testDescription: String { rawValue }
}
