import Logging
import Mesh
import NIOCore
import NIOPosix

/// A talker: people connect with a line-oriented client (`nc -C host 8889`), plain lines are
/// said to everyone, and `/`-prefixed lines are commands. Servers link into a mesh, and what is
/// said anywhere reaches every client on every server.
///
/// As in the seed, speech takes the same path whether the server is alone or part of a mesh:
/// a client's line is broadcast through the mesh, and this server's speech observer, like every
/// other server's, relays it to its own clients. The mesh delivers it to each server once, so
/// each client sees each line once, the speaker included.
public actor TalkerServer {
    /// The mesh node this server talks to other servers through.
    public nonisolated let mesh: MeshNode
    public nonisolated let configuration: TalkerConfiguration

    let group: any EventLoopGroup
    let logger: Logger
    let ownsMesh: Bool

    var clients: [Int: ClientSession] = [:]
    var nextClientNumber = 1
    var clientListeners: [ClientListener] = []
    var speechRelay: Task<Void, Never>?
    var isObservingMesh = false
    var isShutDown = false

    /// A bound client port and the task accepting its connections.
    struct ClientListener {
        let endpoint: Endpoint
        let channel: any Channel
        let task: Task<Void, Never>
    }

    /// What becomes of a client's connection after one of its lines.
    enum Disposition {
        case stay
        case leave
    }

    /// - Parameter mesh: the node to federate through; by default the server makes its own
    ///   and shuts it down with itself.
    public init(
        configuration: TalkerConfiguration = TalkerConfiguration(),
        mesh: MeshNode? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "talker")
    ) {
        self.configuration = configuration
        self.group = eventLoopGroup
        self.ownsMesh = mesh == nil
        self.mesh = mesh ?? MeshNode(eventLoopGroup: eventLoopGroup, logger: logger)
        var logger = logger
        logger[metadataKey: "server"] = "\(self.mesh.id.shortDescription)"
        self.logger = logger
    }

    /// Starts accepting clients on `host`:`port` (0 picks a free port) and returns the bound
    /// port. May be called for several addresses.
    public func start(host: String, port: Int) async throws -> Int {
        guard !isShutDown else { throw MeshError.shutDown }
        await observeMesh()
        let configuration = self.configuration
        let logger = self.logger
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(
                .writeBufferWaterMark,
                value: .init(low: max(1, configuration.clientQueueLimit / 2), high: max(1, configuration.clientQueueLimit))
            )
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(ByteToMessageHandler(LineFramer(maximumLineLength: configuration.maximumLineLength)))
                    try handlers.addHandler(SlowClientGuard(stuckTimeout: configuration.stuckClientTimeout, logger: logger))
                    return try NIOAsyncChannel<ClientInput, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        guard !isShutDown else {
            try? await server.channel.close()
            throw MeshError.shutDown
        }
        let boundPort = server.channel.localAddress?.port ?? port
        let endpoint = Endpoint(host: host, port: boundPort)
        let task = Task { await self.accept(on: server, endpoint: endpoint) }
        clientListeners.append(ClientListener(endpoint: endpoint, channel: server.channel, task: task))
        logger.info("listening for clients", metadata: ["endpoint": "\(endpoint)"])
        return boundPort
    }

    /// Where this server accepts clients.
    public var clientEndpoints: [Endpoint] {
        clientListeners.map(\.endpoint)
    }

    /// The names of the clients connected here, sorted.
    public var localNames: [String] {
        clients.values.map(\.name).sorted()
    }

    /// Disconnects every client, stops listening and, if it made its mesh node, shuts that down.
    public func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        for listener in clientListeners {
            listener.channel.close(promise: nil)
            listener.task.cancel()
        }
        for client in clients.values {
            client.channel.close(promise: nil)
        }
        speechRelay?.cancel()
        for listener in clientListeners {
            await listener.task.value
        }
        if ownsMesh {
            await mesh.shutdown()
        }
        logger.info("talker shut down")
    }

    // MARK: - Mesh observers

    private func observeMesh() async {
        // Set before the first suspension: a second `start` meanwhile must not subscribe again,
        // or every line would be relayed twice.
        guard !isObservingMesh else { return }
        isObservingMesh = true
        let speech = await mesh.subscribe(to: Speech.messageType)
        speechRelay = Task {
            for await message in speech {
                self.relay(message)
            }
        }
        await mesh.setResponder(for: WhoAnswer.messageType) { [weak self] _ in
            await self?.whoAnswer.encoded
        }
    }

    /// The speech observer: tells a line said anywhere in the mesh to every client here.
    private func relay(_ message: MeshMessage) {
        guard let speech = Speech(decoding: message.payload) else {
            logger.warning("ignoring malformed speech", metadata: ["from": "\(message.origin.shortDescription)"])
            return
        }
        var line = ByteBuffer()
        line.writeString(speech.line)
        line.writeStaticString("\r\n")
        for client in clients.values {
            client.outbox.enqueue(line)
        }
    }

    private var whoAnswer: WhoAnswer {
        WhoAnswer(names: localNames)
    }

    // MARK: - Clients

    private nonisolated func accept(
        on server: NIOAsyncChannel<NIOAsyncChannel<ClientInput, ByteBuffer>, Never>,
        endpoint: Endpoint
    ) async {
        do {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } catch is CancellationError {
            // Shutdown.
        } catch {
            logger.error("client listener failed", metadata: ["endpoint": "\(endpoint)", "error": "\(error)"])
        }
    }

    private nonisolated func serve(_ connection: NIOAsyncChannel<ClientInput, ByteBuffer>) async {
        do {
            try await connection.executeThenClose { inbound, _ in
                guard let id = await join(connection.channel) else { return }
                do {
                    for try await input in inbound {
                        if await handle(input, from: id) == .leave { break }
                    }
                } catch {
                    logger.debug("client connection failed: \(error)")
                }
                await leave(id)
            }
        } catch {
            logger.debug("client connection closed with an error: \(error)")
        }
    }

    private func join(_ channel: any Channel) -> Int? {
        guard !isShutDown else { return nil }
        let id = nextClientNumber
        nextClientNumber += 1
        var name = "guest\(id)"
        while isTaken(name, except: nil) {
            name += "_"
        }
        let session = ClientSession(id: id, channel: channel, name: name)
        clients[id] = session
        logger.info("client connected", metadata: ["client": "\(name)", "remote": "\(channel.remoteAddress.map { "\($0)" } ?? "?")"])
        session.tell("*** welcome to the talker on server \(mesh.id.shortDescription); you are \(name); /help lists the commands")
        return id
    }

    private func leave(_ id: Int) {
        guard let session = clients.removeValue(forKey: id) else { return }
        logger.info("client left", metadata: ["client": "\(session.name)"])
    }

    func isTaken(_ name: String, except id: Int?) -> Bool {
        let folded = name.lowercased()
        return clients.values.contains { $0.id != id && $0.name.lowercased() == folded }
    }

    /// One line from a client.
    func handle(_ input: ClientInput, from id: Int) async -> Disposition {
        guard let session = clients[id] else { return .leave }
        switch input {
        case .tooLong:
            session.tell("*** error: line too long (the limit is \(configuration.maximumLineLength) bytes); it was ignored")
        case .invalidUTF8:
            session.tell("*** error: line is not valid UTF-8; it was ignored")
        case .line(let text):
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) {
                return .stay
            }
            if ControlCharacters.occur(in: text) {
                session.tell("*** error: line contains control characters; it was ignored")
            } else if text.hasPrefix("//") {
                await say(String(text.dropFirst()), as: session)
            } else if text.hasPrefix("/") {
                return await perform(text, for: session)
            } else {
                await say(text, as: session)
            }
        }
        return .stay
    }

    private func say(_ text: String, as session: ClientSession) async {
        let speech = Speech(speaker: session.name, text: text)
        do {
            try await mesh.broadcast(type: Speech.messageType, payload: speech.encoded)
        } catch {
            session.tell("*** error: could not say that: \(error)")
        }
    }
}
