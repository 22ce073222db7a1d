import NIOCore
import Testing

@testable import TalkerServer

@Suite struct PayloadTests {
    @Test func speechRoundTrips() throws {
        let speech = Speech(speaker: "alice", text: "héllo\tthere")
        #expect(Speech(decoding: speech.encoded) == speech)
        #expect(speech.line == "alice: héllo\tthere")
    }

    /// Built step by step: one literal mixing `+` and byte arrays takes the type checker too long.
    static let malformedSpeech: [[UInt8]] = {
        var cases: [[UInt8]] = [[], [9, 0x61]]  // nothing; a name longer than the payload
        cases.append([0] + Array("text".utf8))  // empty name
        cases.append([3] + Array("a bhi".utf8))  // space in the name
        cases.append([1, 0x61, 0xFF])  // text not UTF-8
        cases.append([1, 0x61] + Array("one\r\nfake: line".utf8))  // line break in the text
        cases.append([1, 0x61, 0x1B] + Array("[2J".utf8))  // terminal escape
        return cases
    }()

    @Test(arguments: malformedSpeech)
    func malformedSpeechIsRefused(_ bytes: [UInt8]) {
        #expect(Speech(decoding: ByteBuffer(bytes: bytes)) == nil)
    }

    @Test func whoAnswersRoundTrip() {
        let answer = WhoAnswer(names: ["alice", "bob"])
        #expect(WhoAnswer(decoding: answer.encoded) == answer)
        #expect(WhoAnswer(decoding: WhoAnswer(names: []).encoded).names.isEmpty)
    }

    @Test func badNamesInWhoAnswersShowAsQuestionMarks() {
        let answer = WhoAnswer(decoding: ByteBuffer(bytes: Array("alice\n\u{1B}[2J\nbob".utf8) + [0x0A, 0xFF]))
        #expect(answer.names == ["alice", "?", "bob", "?"])
    }

    @Test func namesFollowTheRule() {
        #expect(SpeakerName.problem(with: "alice_B-2.0", maximumLength: 24) == nil)
        #expect(SpeakerName.problem(with: "", maximumLength: 24) != nil)
        #expect(SpeakerName.problem(with: String(repeating: "a", count: 25), maximumLength: 24) != nil)
        #expect(SpeakerName.problem(with: "***", maximumLength: 24) != nil)
        #expect(SpeakerName.problem(with: "al:ce", maximumLength: 24) != nil)
        #expect(SpeakerName.problem(with: "élise", maximumLength: 24) != nil)
    }
}

@Suite struct ControlCharacterTests {
    /// The byte scan must agree with Unicode's own classification on every scalar that
    /// could be confused with a control character.
    @Test func theByteScanMatchesUnicode() {
        let scalars = (0..<0x800).compactMap(Unicode.Scalar.init) + ["\u{2028}", "\u{FEFF}", "\u{1F600}"]
        for scalar in scalars {
            let isControl = scalar != "\t" && scalar.properties.generalCategory == .control
            #expect(ControlCharacters.occur(in: "a\(scalar)b") == isControl, "U+\(String(scalar.value, radix: 16))")
        }
        #expect(!ControlCharacters.occur(in: "tab\tis fine, é and ¢ too"))
    }
}
