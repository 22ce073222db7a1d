import Logging
import NIOCore
import NIOPosix

extension MeshNode {
    /// Accepts peer links on `host`:`port` (0 picks a free port); returns the bound port.
    /// A node may listen on several addresses.
    public func listen(host: String, port: Int) async throws -> Int {
        guard !isShutDown else { throw MeshError.shutDown }
        guard (0...65535).contains(port) else { throw MeshError.invalidPort(port) }
        let configuration = self.configuration
        let logger = self.logger
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: Self.waterMark(configuration))
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.installLinkHandlers(on: channel, configuration: configuration, logger: logger)
                }
            }
        guard !isShutDown else {
            try? await server.channel.close()
            throw MeshError.shutDown
        }
        let boundPort = server.channel.localAddress?.port ?? port
        let endpoint = Endpoint(host: host, port: boundPort)
        let task = Task { await self.accept(on: server, endpoint: endpoint) }
        listeners.append(Listener(endpoint: endpoint, channel: server.channel, task: task))
        logger.info("listening for peers", metadata: ["endpoint": "\(endpoint)"])
        return boundPort
    }

    /// Where this node listens for peers.
    public var listeningEndpoints: [Endpoint] {
        listeners.map(\.endpoint)
    }

    /// Endpoints this node dials and keeps re-dialling.
    public var dialledEndpoints: [Endpoint] {
        dialers.keys.sorted { ($0.host, $0.port) < ($1.host, $1.port) }
    }

    /// Dials a peer and returns its id once it has presented its `I-AM`. From then on the node
    /// keeps the link up: when it breaks, it re-dials with backoff until ``disconnect(host:port:)``
    /// or ``shutdown()``. A first attempt that fails throws and leaves nothing behind.
    public func connect(host: String, port: Int) async throws -> NodeID {
        guard !isShutDown else { throw MeshError.shutDown }
        guard (1...65535).contains(port) else { throw MeshError.invalidPort(port) }
        let endpoint = Endpoint(host: host, port: port)
        guard dialers[endpoint] == nil else { throw MeshError.alreadyDialling(endpoint) }
        let token = takeSubscriptionID()
        return try await withCheckedThrowingContinuation { firstAttempt in
            let task = Task { await self.dial(endpoint, token: token, firstAttempt: firstAttempt) }
            dialers[endpoint] = Dialer(token: token, task: task)
        }
    }

    /// Stops re-dialling `host`:`port` and closes the link to it; returns whether this node was
    /// dialling it.
    @discardableResult
    public func disconnect(host: String, port: Int) async -> Bool {
        let endpoint = Endpoint(host: host, port: port)
        guard let task = dialers.removeValue(forKey: endpoint)?.task else { return false }
        task.cancel()
        for link in links.values where link.info.origin == .dialled(endpoint) {
            link.channel.close(promise: nil)
        }
        await task.value
        return true
    }

    /// Closes every link to `peer`; returns how many there were. Links this node dialled come
    /// back through the usual reconnect, so this is also how to test recovery.
    @discardableResult
    public func dropLinks(to peer: NodeID) -> Int {
        var dropped = 0
        for link in links.values where link.peer == peer {
            link.channel.close(promise: nil)
            dropped += 1
        }
        return dropped
    }

    /// The live links, dialled and accepted.
    public var linkInfos: [MeshLinkInfo] {
        links.keys.sorted().compactMap { links[$0]?.info }
    }

    // MARK: - Link life

    /// What became of one connection.
    enum LinkOutcome {
        /// The connection never became a link.
        case refused(any Error)
        /// The link was up for `lifetime` and then ended, cleanly if `error` is `nil`.
        case ended(peer: NodeID, lifetime: Duration, error: (any Error)?)
    }

    /// The peer presented this node's own id.
    struct SelfLinkError: Error, CustomStringConvertible {
        var description: String { "connected to itself" }
    }

    static func waterMark(_ configuration: MeshConfiguration) -> ChannelOptions.Types.WriteBufferWaterMark {
        let high = max(2, configuration.maximumPendingBytesPerLink)
        return .init(low: high / 2, high: high)
    }

    static func installLinkHandlers(
        on channel: any Channel,
        configuration: MeshConfiguration,
        logger: Logger
    ) throws -> NIOAsyncChannel<MeshFrame, ByteBuffer> {
        let handlers = channel.pipeline.syncOperations
        try handlers.addHandler(
            ByteToMessageHandler(MeshFrameDecoder(maximumFrameSize: configuration.maximumFrameSize))
        )
        try handlers.addHandler(SlowPeerGuard(logger: logger))
        return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
    }

    private nonisolated func accept(
        on server: NIOAsyncChannel<NIOAsyncChannel<MeshFrame, ByteBuffer>, Never>,
        endpoint: Endpoint
    ) async {
        do {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask {
                            let outcome = await self.serve(connection, origin: .accepted) { _ in }
                            self.log(outcome, origin: .accepted)
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Shutdown cancels listeners, to end connections still waiting for an I-AM.
        } catch {
            logger.warning("listener failed", metadata: ["endpoint": "\(endpoint)", "error": "\(error)"])
        }
        logger.debug("listener closed", metadata: ["endpoint": "\(endpoint)"])
    }

    /// Keeps one dialled link up for as long as the node wants it.
    private nonisolated func dial(
        _ endpoint: Endpoint,
        token: Int,
        firstAttempt: CheckedContinuation<NodeID, any Error>
    ) async {
        var pending: CheckedContinuation<NodeID, any Error>? = firstAttempt
        var backoff = Backoff(
            initial: configuration.reconnectInitialDelay,
            maximum: configuration.reconnectMaximumDelay
        )
        var random = SystemRandomNumberGenerator()
        let origin = MeshLinkInfo.Origin.dialled(endpoint)
        while !Task.isCancelled {
            let outcome: LinkOutcome
            do {
                let channel = try await openLink(to: endpoint)
                outcome = await serve(channel, origin: origin) { peer in
                    pending?.resume(returning: peer)
                    pending = nil
                }
            } catch {
                outcome = .refused(MeshError.connectFailed(endpoint, reason: ConnectFailure.reason(error)))
            }
            if case .refused(let reason) = outcome {
                let error = Self.publicError(reason, endpoint: endpoint)
                if let firstAttempt = pending {
                    pending = nil
                    await forgetDialer(endpoint, token: token)
                    firstAttempt.resume(throwing: error)
                    return
                }
                if reason is SelfLinkError {
                    logger.error("stopped dialling: \(error)", metadata: ["endpoint": "\(endpoint)"])
                    await forgetDialer(endpoint, token: token)
                    return
                }
            }
            if case .ended(_, let lifetime, _) = outcome, lifetime >= backoff.maximum {
                backoff.reset()
            }
            guard !Task.isCancelled else { break }
            let delay = backoff.nextDelay(using: &random)
            log(outcome, origin: origin, retryingIn: delay)
            do {
                try await Task.sleep(for: delay)
            } catch {
                break
            }
        }
        pending?.resume(throwing: MeshError.shutDown)
    }

    /// Only the dialer that is ending forgets itself: the endpoint may have been disconnected and
    /// dialled again meanwhile.
    private func forgetDialer(_ endpoint: Endpoint, token: Int) {
        if dialers[endpoint]?.token == token {
            dialers[endpoint] = nil
        }
    }

    private nonisolated func openLink(to endpoint: Endpoint) async throws -> NIOAsyncChannel<MeshFrame, ByteBuffer> {
        let configuration = self.configuration
        let logger = self.logger
        return try await ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.writeBufferWaterMark, value: Self.waterMark(configuration))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.installLinkHandlers(on: channel, configuration: configuration, logger: logger)
                }
            }
    }

    /// Runs one connection: `I-AM` both ways, then every frame into the node, until it closes.
    /// `linkUp` hears the peer's id as soon as the link is registered.
    nonisolated func serve(
        _ connection: NIOAsyncChannel<MeshFrame, ByteBuffer>,
        origin: MeshLinkInfo.Origin,
        linkUp: (NodeID) -> Void
    ) async -> LinkOutcome {
        let channel = connection.channel
        var iAm = allocator.buffer(capacity: 26)
        MeshFrame.iAm(id).encode(into: &iAm)
        do {
            return try await connection.executeThenClose { inbound, _ in
                channel.writeAndFlush(iAm, promise: nil)
                let handshakeTimeout = channel.eventLoop.scheduleTask(in: TimeAmount(configuration.handshakeTimeout)) {
                    channel.close(promise: nil)
                }
                var frames = inbound.makeAsyncIterator()
                let first: MeshFrame?
                do {
                    first = try await frames.next()
                } catch {
                    handshakeTimeout.cancel()
                    return .refused(error)
                }
                handshakeTimeout.cancel()
                guard let first else { return .refused(MeshProtocolError.noIAm) }
                guard case .iAm(let peer) = first else { return .refused(MeshProtocolError.missingIAm) }
                guard peer != id else { return .refused(SelfLinkError()) }
                let info = MeshLinkInfo(peer: peer, origin: origin, remoteAddress: channel.remoteAddress.map { "\($0)" })
                guard let linkID = await register(Link(peer: peer, channel: channel, outbox: Outbox(channel: channel), info: info)) else {
                    return .refused(MeshError.shutDown)
                }
                linkUp(peer)
                let start = ContinuousClock.now
                var failure: (any Error)?
                do {
                    while let frame = try await frames.next() {
                        await receive(frame, on: linkID)
                    }
                } catch {
                    failure = error
                }
                await unregister(linkID)
                return .ended(peer: peer, lifetime: .now - start, error: failure)
            }
        } catch {
            return .refused(error)
        }
    }

    private func register(_ link: Link) -> Int? {
        guard !isShutDown else { return nil }
        let linkID = nextLinkID
        nextLinkID += 1
        links[linkID] = link
        linkCountByPeer[link.peer, default: 0] += 1
        logger.info(
            "link up",
            metadata: ["peer": "\(link.peer.shortDescription)", "origin": "\(link.info.origin)"]
        )
        if topologyTable.setDirectPeers(Set(linkCountByPeer.keys)) {
            topologyChanged(directPeersChanged: true)
        }
        return linkID
    }

    private func unregister(_ linkID: Int) {
        guard let link = links.removeValue(forKey: linkID) else { return }
        let remaining = (linkCountByPeer[link.peer] ?? 1) - 1
        linkCountByPeer[link.peer] = remaining > 0 ? remaining : nil
        if topologyTable.setDirectPeers(Set(linkCountByPeer.keys)) {
            topologyChanged(directPeersChanged: true)
        }
    }

    private static func publicError(_ reason: any Error, endpoint: Endpoint) -> MeshError {
        switch reason {
        case let error as MeshError: return error
        case is SelfLinkError: return .connectedToSelf(endpoint)
        default: return .handshakeFailed(endpoint, reason: "\(reason)")
        }
    }

    private nonisolated func log(_ outcome: LinkOutcome, origin: MeshLinkInfo.Origin, retryingIn delay: Duration? = nil) {
        var metadata: Logger.Metadata = ["origin": "\(origin)"]
        if let delay { metadata["retry-in"] = "\(delay)" }
        switch outcome {
        case .refused(let reason):
            // Garbage from a stranger is worth a warning; a peer that is down while we retry is not.
            if reason is MeshProtocolError || reason is SelfLinkError {
                logger.warning("dropped connection: \(reason)", metadata: metadata)
            } else {
                logger.debug("connection failed: \(reason)", metadata: metadata)
            }
        case .ended(let peer, _, let error):
            metadata["peer"] = "\(peer.shortDescription)"
            if let error, !(error is CancellationError) {
                logger.warning("link dropped: \(error)", metadata: metadata)
            } else {
                logger.info("link closed", metadata: metadata)
            }
        }
    }
}
