import NIOCore
import NIOEmbedded
import Testing

@testable import Mesh

@Suite struct MeshFrameTests {
    let alice = NodeID(high: 0xA11C_E000_0000_0000, low: 1)!
    let bob = NodeID(high: 0xB0B0_0000_0000_0000, low: 2)!
    let limit = 1024

    func roundTrip(_ frame: MeshFrame) throws -> MeshFrame? {
        var buffer = try frame.encoded(limit: limit, allocator: ByteBufferAllocator())
        let decoded = try MeshFrameDecoder.nextFrame(from: &buffer, maximumFrameSize: limit)
        #expect(buffer.readableBytes == 0)
        return decoded
    }

    static let payload = ByteBuffer(string: "héllo, mesh")

    @Test func everyFrameKindRoundTrips() throws {
        let frames: [MeshFrame] = [
            .iAm(alice),
            .direct(serial: 7, type: "chat.direct", payload: Self.payload),
            .direct(serial: 8, type: "t", payload: ByteBuffer()),
            .flood(Flood(id: MessageID(origin: alice, serial: 1), hops: 3, target: nil, content: .message(type: "chat", payload: Self.payload))),
            .flood(Flood(id: MessageID(origin: alice, serial: 2), hops: 0, target: bob, content: .message(type: "chat", payload: Self.payload))),
            .flood(Flood(id: MessageID(origin: alice, serial: 3), hops: 1, target: nil, content: .peerSet([bob, alice]))),
            .flood(Flood(id: MessageID(origin: alice, serial: 4), hops: 1, target: nil, content: .peerSet([]))),
            .flood(Flood(id: MessageID(origin: bob, serial: 5), hops: 2, target: nil, content: .query(type: "who", payload: ByteBuffer()))),
            .flood(Flood(id: MessageID(origin: bob, serial: 6), hops: 2, target: alice, content: .reply(type: "who", querySerial: 5, answer: Self.payload))),
            .flood(Flood(id: MessageID(origin: bob, serial: 7), hops: 2, target: alice, content: .reply(type: "who", querySerial: 5, answer: nil))),
        ]
        for frame in frames {
            #expect(try roundTrip(frame) == frame)
        }
    }

    @Test func iAmHasTheDocumentedLayout() throws {
        let buffer = try MeshFrame.iAm(alice).encoded(limit: limit, allocator: ByteBufferAllocator())
        let bytes = Array(buffer.readableBytesView)
        #expect(bytes.count == 4 + 22)
        #expect(Array(bytes[0..<4]) == [0, 0, 0, 22])
        #expect(bytes[4] == 1)
        #expect(Array(bytes[5..<9]) == Array("MESH".utf8))
        #expect(bytes[9] == 1)
        #expect(Array(bytes[10..<12]) == [0xA1, 0x1C])
    }

    @Test func partialFramesWaitForMoreBytes() throws {
        let whole = try MeshFrame.direct(serial: 1, type: "x", payload: Self.payload)
            .encoded(limit: limit, allocator: ByteBufferAllocator())
        for cut in [0, 2, 4, 10, whole.readableBytes - 1] {
            var part = whole.getSlice(at: 0, length: cut)!
            #expect(try MeshFrameDecoder.nextFrame(from: &part, maximumFrameSize: limit) == nil)
        }
    }

    @Test func oversizeFramesAreRefusedBeforeTheBodyArrives() {
        var buffer = ByteBuffer(bytes: [0, 0, 4, 1])
        #expect(throws: MeshProtocolError.frameTooLarge(size: 1025, limit: 1024)) {
            try MeshFrameDecoder.nextFrame(from: &buffer, maximumFrameSize: limit)
        }
    }

    @Test func encodingRefusesFramesOverTheLimit() {
        let big = ByteBuffer(repeating: 0x2A, count: 2000)
        #expect(throws: MeshError.self) {
            try MeshFrame.direct(serial: 1, type: "x", payload: big).encoded(limit: limit, allocator: ByteBufferAllocator())
        }
    }

    /// Bodies that are not the protocol, each with the error it must produce.
    static let garbage: [(String, [UInt8], MeshProtocolError)] = [
        ("empty frame", [0, 0, 0, 0], .emptyFrame),
        ("text", Array("*** welcome\r\n".utf8), .frameTooLarge(size: 0x2A2A_2A20, limit: 1024)),
        ("unknown kind", [0, 0, 0, 1, 9], .unknownFrameKind(9)),
        ("short I-AM", [0, 0, 0, 3, 1, 0x4D, 0x45], .truncated("I-AM")),
        ("bad magic", [0, 0, 0, 22, 1] + Array("MASH".utf8) + [1] + Array(repeating: 1, count: 16), .badMagic),
        ("future version", [0, 0, 0, 22, 1] + Array("MESH".utf8) + [2] + Array(repeating: 1, count: 16), .unsupportedVersion(2)),
        ("zero id", [0, 0, 0, 22, 1] + Array("MESH".utf8) + [1] + Array(repeating: 0, count: 16), .zeroNodeID),
        ("long I-AM", [0, 0, 0, 23, 1] + Array("MESH".utf8) + [1] + Array(repeating: 1, count: 17), .trailingBytes("I-AM")),
        ("empty direct type", [0, 0, 0, 10, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0], .invalidType),
        ("direct type past end", [0, 0, 0, 11, 2, 0, 0, 0, 0, 0, 0, 0, 1, 5, 0x41], .truncated("message type")),
        ("invalid UTF-8 type", [0, 0, 0, 12, 2, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0xC3, 0x28], .invalidType),
        ("short flood", [0, 0, 0, 5, 3, 1, 2, 3, 4], .truncated("FLOOD")),
        ("unknown purpose", floodHeader(purpose: 9, type: "x"), .unknownPurpose(9)),
        ("peer set count past end", floodHeader(purpose: 1, type: "") + [0, 2] + Array(repeating: 1, count: 16), .truncated("peer set")),
        ("peer set with trailing bytes", floodHeader(purpose: 1, type: "") + [0, 0, 7], .trailingBytes("peer set")),
        ("short reply", floodHeader(purpose: 3, type: "who") + [0, 0, 0], .truncated("reply")),
        ("unknown reply status", floodHeader(purpose: 3, type: "who") + [0, 0, 0, 0, 0, 0, 0, 1, 7], .unknownReplyStatus(7)),
        ("declined reply with a body", floodHeader(purpose: 3, type: "who") + [0, 0, 0, 0, 0, 0, 0, 1, 1, 42], .trailingBytes("declined reply")),
    ]

    /// A flood frame's bytes up to its type, with the length prefix fixed up by `framed`.
    static func floodHeader(purpose: UInt8, type: String) -> [UInt8] {
        var body: [UInt8] = [3]
        body += Array(repeating: 0xAB, count: 16)  // origin
        body += [0, 0, 0, 0, 0, 0, 0, 9]  // serial
        body += [0, purpose]
        body += Array(repeating: 0, count: 16)  // target: everyone
        body += [UInt8(type.utf8.count)] + Array(type.utf8)
        return [0xFF, 0xFF, 0xFF, 0xFF] + body
    }

    @Test(arguments: garbage.indices)
    func garbageIsRejectedWithAReason(_ index: Int) {
        let (name, template, expected) = Self.garbage[index]
        var bytes = template
        if bytes.starts(with: [0xFF, 0xFF, 0xFF, 0xFF]) {
            let length = UInt32(bytes.count - 4)
            bytes.replaceSubrange(0..<4, with: withUnsafeBytes(of: length.bigEndian, Array.init))
        }
        var buffer = ByteBuffer(bytes: bytes)
        #expect(throws: expected, "\(name)") {
            try MeshFrameDecoder.nextFrame(from: &buffer, maximumFrameSize: 1024)
        }
    }

    @Test func theDecoderHandlesFramesSplitAndJoinedInAChannel() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MeshFrameDecoder(maximumFrameSize: limit)))
        var stream = ByteBuffer()
        let frames: [MeshFrame] = [.iAm(alice), .direct(serial: 1, type: "a", payload: Self.payload), .iAm(bob)]
        for frame in frames { frame.encode(into: &stream) }
        // Deliver in 5-byte pieces, the way TCP may.
        while stream.readableBytes > 0 {
            let piece = stream.readSlice(length: min(5, stream.readableBytes))!
            try channel.writeInbound(piece)
        }
        for frame in frames {
            #expect(try channel.readInbound(as: MeshFrame.self) == frame)
        }
        #expect(try channel.readInbound(as: MeshFrame.self) == nil)
        #expect(throws: MeshProtocolError.unknownFrameKind(0xEE)) {
            try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 1, 0xEE]))
        }
        _ = try? channel.finish()
    }
}
