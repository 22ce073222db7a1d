import Mesh
import NIOCore

/// Collects what one node's observers receive, for counting.
actor Inbox {
    private(set) var messages: [MeshMessage] = []
    private var task: Task<Void, Never>?

    init() {}

    /// Subscribes before returning, so nothing sent afterwards can be missed.
    static func subscribe(_ node: MeshNode, to type: String) async -> Inbox {
        let inbox = Inbox()
        let stream = await node.subscribe(to: type)
        await inbox.consume(stream)
        return inbox
    }

    private func consume(_ stream: AsyncStream<MeshMessage>) {
        task = Task {
            for await message in stream {
                self.append(message)
            }
        }
    }

    private func append(_ message: MeshMessage) {
        messages.append(message)
    }

    var count: Int { messages.count }

    var texts: [String] {
        messages.map { String(buffer: $0.payload) }
    }

    func stop() {
        task?.cancel()
    }
}
