import Mesh
import NIOCore

extension TalkerServer {
    /// Runs one `/` command. Commands that wait on the network (`/who`, `/peer-*`) answer later,
    /// from a task of their own, so the client can go on typing meanwhile.
    func perform(_ line: String, for session: ClientSession) async -> Disposition {
        let command: TalkerCommand
        do {
            command = try TalkerCommand(parsing: line)
        } catch {
            session.tell("*** error: \(error)")
            return .stay
        }
        switch command {
        case .help:
            session.tell(Self.helpLines)
        case .name(let name):
            rename(session.id, to: name)
        case .who:
            askWho(for: session.id)
        case .peerListen(let host, let port):
            let mesh = self.mesh
            Task {
                do {
                    let bound = try await mesh.listen(host: host, port: port)
                    self.tell(session.id, "*** listening for peers on \(Endpoint(host: host, port: bound))")
                } catch {
                    self.tell(session.id, "*** error: cannot listen on \(Endpoint(host: host, port: port)): \(error)")
                }
            }
        case .peerConnect(let host, let port):
            let endpoint = Endpoint(host: host, port: port)
            session.tell("*** connecting to \(endpoint)")
            let mesh = self.mesh
            Task {
                do {
                    let peer = try await mesh.connect(host: host, port: port)
                    self.tell(session.id, "*** linked to server \(peer.shortDescription) at \(endpoint)")
                } catch {
                    self.tell(session.id, "*** error: \(error)")
                }
            }
        case .peers:
            session.tell(await peerListing())
        case .quit:
            // Awaited, so that closing the connection does not discard it.
            await session.tellAndWait(["*** bye"])
            return .leave
        }
        return .stay
    }

    static let helpLines: [String] = {
        let width = TalkerCommand.summary.map(\.usage.count).max() ?? 0
        var lines = ["*** commands:"]
        for (usage, purpose) in TalkerCommand.summary {
            let padding = String(repeating: " ", count: width - usage.count + 2)
            lines.append("***   \(usage)\(padding)\(purpose)")
        }
        lines.append("*** anything else is said to everyone on every linked server")
        return lines
    }()

    /// Writes to a client if it is still connected.
    func tell(_ id: Int, _ lines: String...) {
        clients[id]?.tell(lines)
    }

    private func rename(_ id: Int, to name: String) {
        guard let session = clients[id] else { return }
        if let problem = SpeakerName.problem(with: name, maximumLength: configuration.maximumNameLength) {
            session.tell("*** error: \(problem)")
        } else if isTaken(name, except: id) {
            session.tell("*** error: someone on this server is already called \(name)")
        } else {
            logger.info("client renamed", metadata: ["from": "\(session.name)", "to": "\(name)"])
            clients[id]?.name = name
            session.tell("*** you are now \(name)")
        }
    }

    private func askWho(for id: Int) {
        let mesh = self.mesh
        let timeout = configuration.whoTimeout
        Task {
            do {
                let result = try await mesh.gather(type: WhoAnswer.messageType, payload: ByteBuffer(), timeout: timeout)
                self.reportWho(result, to: id)
            } catch {
                self.tell(id, "*** error: /who failed: \(error)")
            }
        }
    }

    private func reportWho(_ result: GatherResult, to id: Int) {
        guard let session = clients[id] else { return }
        let answers = result.replies.mapValues { WhoAnswer(decoding: $0).names }
        let people = answers.values.reduce(0) { $0 + $1.count }
        let servers = answers.keys.sorted { a, b in
            // This server first, then the others in a stable order.
            a == mesh.id || (b != mesh.id && a < b)
        }
        var lines = ["*** who: \(people) \(people == 1 ? "person" : "people") on \(servers.count) server\(servers.count == 1 ? "" : "s")"]
        for server in servers {
            let names = answers[server] ?? []
            let here = server == mesh.id ? " (this server)" : ""
            lines.append("***   \(server.shortDescription)\(here): \(names.isEmpty ? "nobody" : names.joined(separator: ", "))")
        }
        if !result.missing.isEmpty {
            let missing = result.missing.sorted().map(\.shortDescription).joined(separator: ", ")
            lines.append("***   no answer in time from \(missing)")
        }
        session.tell(lines)
    }

    private func peerListing() async -> [String] {
        let topology = await mesh.topology
        let links = await mesh.linkInfos
        let listening = await mesh.listeningEndpoints
        var lines = [
            "*** this server: \(mesh.id)"
                + (listening.isEmpty
                    ? "; not listening for peers"
                    : "; listening for peers on " + listening.map(\.description).joined(separator: ", "))
        ]
        if links.isEmpty {
            lines.append("*** no links")
        } else {
            lines.append("*** links:")
            for link in links {
                let how: String
                switch link.origin {
                case .dialled(let endpoint): how = "dialled \(endpoint)"
                case .accepted: how = "accepted from \(link.remoteAddress ?? "?")"
                }
                lines.append("***   \(link.peer.shortDescription) (\(how))")
            }
        }
        let reachable = topology.reachable.sorted()
        lines.append("*** network: \(reachable.count) server\(reachable.count == 1 ? "" : "s") reachable")
        for node in reachable {
            let peers = (topology.peerSets[node] ?? []).sorted().map(\.shortDescription)
            let here = node == mesh.id ? " (this server)" : ""
            lines.append("***   \(node.shortDescription)\(here) links to \(peers.isEmpty ? "nobody" : peers.joined(separator: ", "))")
        }
        return lines
    }
}
