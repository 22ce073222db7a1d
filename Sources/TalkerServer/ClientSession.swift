import NIOCore

/// One connected client, as the server keeps it.
struct ClientSession {
    let id: Int
    let channel: any Channel
    let outbox: ClientOutbox
    var name: String

    init(id: Int, channel: any Channel, name: String) {
        self.id = id
        self.channel = channel
        self.outbox = ClientOutbox(channel: channel)
        self.name = name
    }

    /// Writes `lines`, each ended by CRLF, without waiting for the client to read them.
    func tell(_ lines: [String]) {
        outbox.enqueue(Self.encode(lines))
    }

    /// Writes `lines` and waits until they are handed to the socket.
    func tellAndWait(_ lines: [String]) async {
        let written = channel.eventLoop.makePromise(of: Void.self)
        outbox.enqueue(Self.encode(lines), promise: written)
        try? await written.futureResult.get()
    }

    static func encode(_ lines: [String]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 2 })
        for line in lines {
            buffer.writeString(line)
            buffer.writeStaticString("\r\n")
        }
        return buffer
    }

    func tell(_ line: String) {
        tell([line])
    }
}
