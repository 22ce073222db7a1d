import NIOCore

/// One connected client, as the server keeps it.
struct ClientSession {
    let id: Int
    let channel: any Channel
    var name: String

    /// Writes `lines`, each ended by CRLF, without waiting for the client to read them.
    func tell(_ lines: [String]) {
        var buffer = channel.allocator.buffer(capacity: lines.reduce(0) { $0 + $1.utf8.count + 2 })
        for line in lines {
            buffer.writeString(line)
            buffer.writeStaticString("\r\n")
        }
        channel.writeAndFlush(buffer, promise: nil)
    }

    func tell(_ line: String) {
        tell([line])
    }
}
