import NIOCore
import NIOEmbedded
import Testing

@testable import TalkerServer

@Suite struct LineFramerTests {
    /// Feeds `chunks` through a framer with a limit of `limit` bytes and returns what came out.
    func frame(_ chunks: [[UInt8]], limit: Int = 10, finish: Bool = false) throws -> [ClientInput] {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFramer(maximumLineLength: limit)))
        for chunk in chunks {
            try channel.writeInbound(ByteBuffer(bytes: chunk))
        }
        if finish {
            _ = try channel.finish()
        }
        var inputs: [ClientInput] = []
        while let input = try channel.readInbound(as: ClientInput.self) {
            inputs.append(input)
        }
        return inputs
    }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func crlfAndBareLfBothEndLines() throws {
        #expect(try frame([bytes("one\r\ntwo\nthree\r\n")]) == [.line("one"), .line("two"), .line("three")])
    }

    @Test func linesMayArriveInPieces() throws {
        #expect(try frame([bytes("he"), bytes("llo\r"), bytes("\nwor"), bytes("ld\n")]) == [.line("hello"), .line("world")])
    }

    @Test func aCharacterSplitAcrossReadsIsFine() throws {
        let text = bytes("héllo\r\n")
        #expect(try frame([Array(text[0..<2]), Array(text[2...])]) == [.line("héllo")])
    }

    @Test func emptyLinesAreLines() throws {
        #expect(try frame([bytes("\r\n\n")]) == [.line(""), .line("")])
    }

    @Test func theLimitCountsBytesWithoutTheLineEnding() throws {
        #expect(try frame([bytes("0123456789\r\n")]) == [.line("0123456789")])
        #expect(try frame([bytes("0123456789A\r\n")]) == [.tooLong])
    }

    @Test func anOverlongLineIsReportedOnceAndSkipped() throws {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 25)
        let inputs = try frame([long, long, long, bytes("tail\r\nnext\r\n")])
        #expect(inputs == [.tooLong, .line("next")])
    }

    @Test func invalidUTF8IsReportedAndTheStreamGoesOn() throws {
        #expect(try frame([[0x61, 0xFF, 0x62, 0x0A], bytes("ok\n")]) == [.invalidUTF8, .line("ok")])
        #expect(try frame([[0xC3, 0x0A]]) == [.invalidUTF8])
    }

    @Test func anUnterminatedLastLineCountsAtEndOfInput() throws {
        #expect(try frame([bytes("one\nlast")], finish: true) == [.line("one"), .line("last")])
    }
}
