import Foundation
import Testing

@testable import HGX

/// JSON exactly as Python's `json` module writes and reads it (the `hgx.JsonObj` state encoding). The expected
/// texts were produced by `json.dumps(…, separators=(',', ':'))` under Python 3.6 and 3.11.
@Suite struct JSONTests {
    /// (bit pattern, `json.dumps(float)`), from Python.
    static let floats: [(UInt64, String)] = [
        (0x0000000000000000, "0.0"), (0x8000000000000000, "-0.0"), (0x3ff0000000000000, "1.0"),
        (0xbff0000000000000, "-1.0"), (0x3fb999999999999a, "0.1"), (0x3fe0000000000000, "0.5"),
        (0x3ff8000000000000, "1.5"), (0x4059000000000000, "100.0"), (0x430c6bf526340000, "1000000000000000.0"),
        (0x4341c37937e08000, "1e+16"), (0x4376345785d8a000, "1e+17"), (0x43118b54f22aeb00, "1234567890123456.0"),
        (0x4345ee2a2eb5a5c4, "1.2345678901234568e+16"), (0x3f1a36e2eb1c432d, "0.0001"), (0x3ee4f8b588e368f1, "1e-05"),
        (0x3eef75104d551d69, "1.5e-05"), (0x405edd2f1a9fbe77, "123.456"), (0x4480f0cf064dd592, "1e+22"),
        (0x444b1ae4d6e2ef50, "1e+21"), (0x3e7ad7f29abcaf48, "1e-07"), (0x0000000000000001, "5e-324"),
        (0x0010000000000000, "2.2250738585072014e-308"), (0x7fefffffffffffff, "1.7976931348623157e+308"),
        (0x4340000000000000, "9007199254740992.0"), (0x3fd3333333333333, "0.3"),
        (0x3fe5555555555555, "0.6666666666666666"), (0x3fd5555555555555, "0.3333333333333333"),
        (0x54b249ad2594c37d, "1e+100"), (0x81aac9a7b3b7302f, "-1.25e-300"), (0x400921fb54442d18, "3.141592653589793"),
        (0x41b1de784a000000, "299792458.0"), (0x3ff0000000000001, "1.0000000000000002"),
    ]

    @Test(arguments: floats)
    func floatsAreWrittenAsPythonWritesThem(bits: UInt64, python: String) {
        #expect(JSONValue.double(Double(bitPattern: bits)).pythonJSONString == python)
    }

    @Test func nonFiniteFloatsUsePythonsLiterals() {
        #expect(JSONValue.double(.nan).pythonJSONString == "NaN")
        #expect(JSONValue.double(.infinity).pythonJSONString == "Infinity")
        #expect(JSONValue.double(-.infinity).pythonJSONString == "-Infinity")
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote\" backslash\\ slash/", #""quote\" backslash\\ slash/""#),
        ("nl\n cr\r tab\t bs\u{08} ff\u{0C}", #""nl\n cr\r tab\t bs\b ff\f""#),
        ("\u{0}\u{1}\u{1F}\u{7F}\u{80}", #""\u0000\u0001\u001f\u007f\u0080""#),
        ("héllo wörld ✓", #""h\u00e9llo w\u00f6rld \u2713""#),
        ("😀 \u{1F600}", #""\ud83d\ude00 \ud83d\ude00""#),
        ("\u{2028}\u{2029}", #""\u2028\u2029""#),
    ])
    func stringsAreEscapedToASCIIAsPythonDoes(text: String, python: String) throws {
        #expect(JSONValue.string(text).pythonJSONString == python)
        #expect(try JSONValue(parsing: python) == .string(text))
    }

    @Test func documentsUseCompactSeparatorsAndKeepKeyOrder() throws {
        let value: JSONValue = [
            "a": [1, 2.5, true, false, nil], "b": ["c": "d"], "big": .bigInteger("123456789012345678901234567890"),
            "nan": .double(.nan), "inf": .double(.infinity), "ninf": .double(-.infinity),
        ]
        let python = #"{"a":[1,2.5,true,false,null],"b":{"c":"d"},"big":123456789012345678901234567890,"nan":NaN,"inf":Infinity,"ninf":-Infinity}"#
        #expect(value.pythonJSONString == python)
        #expect(try JSONValue(parsing: python).pythonJSONString == python)
    }

    @Test func pythonsExtensionsAreRead() throws {
        let value = try JSONValue(parsing: #"[NaN, Infinity, -Infinity, 1e400, -1e400, 123456789012345678901234567890, -9223372036854775809, 9223372036854775807]"#)
        guard case .array(let elements) = value, elements.count == 8 else {
            Issue.record("not an array of 8: \(value)")
            return
        }
        #expect(elements[0].doubleValue?.isNaN == true)
        #expect(elements[1] == .double(.infinity))
        #expect(elements[2] == .double(-.infinity))
        #expect(elements[3] == .double(.infinity))
        #expect(elements[4] == .double(-.infinity))
        #expect(elements[5] == .bigInteger("123456789012345678901234567890"))
        #expect(elements[6] == .bigInteger("-9223372036854775809"))
        #expect(elements[7] == .integer(Int.max))
    }

    @Test func escapesAndSurrogatesAreDecoded() throws {
        #expect(try JSONValue(parsing: #""\ud83d\ude00 \u00e9 \/ \"""#) == .string("😀 é / \""))
        // Python keeps a lone surrogate; a Swift string cannot, so it becomes the replacement character.
        #expect(try JSONValue(parsing: #""a\ud800b""#) == .string("a\u{FFFD}b"))
        #expect(try JSONValue(parsing: #""\udc00\ud83d""#) == .string("\u{FFFD}\u{FFFD}"))
        #expect(try JSONValue(parsing: "\"raw é ✓ 😀\"") == .string("raw é ✓ 😀"))
    }

    @Test func aRepeatedKeyKeepsItsFirstPlaceAndLastValue() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        #expect(value.pythonJSONString == #"{"a":3,"b":2}"#)
    }

    @Test func whitespaceIsAllowedWhereverPythonAllowsIt() throws {
        let value = try JSONValue(parsing: " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } , \"c\" : [ ] }\n ")
        #expect(value.pythonJSONString == #"{"a":[1,2],"b":{},"c":[]}"#)
    }

    @Test(arguments: [
        "", "01", "1.", ".5", "+1", "-", "1e", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "'a'", "nul",
        "\"unterminated", "\"tab\there\"", "\"bad \\x escape\"", "\"\\u12\"", "1 2", "[", "{", "\u{FEFF}1", "True", "nan",
        "\"\\ud800\\u00\"",
    ])
    func malformedTextIsRejected(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func malformedUTF8IsRejectedAsPythonsDecoderDoes() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
        // An encoded surrogate is not valid UTF-8 either.
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test func nestingIsLimited() throws {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try JSONValue(parsing: deep) }
        let tooDeep = "[" + deep + "]"
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: tooDeep) }
    }

    @Test func objectsCompareAsDictionariesAndKeepTheirOrder() {
        var object = JSONValue.Object()
        object["z"] = 1
        object["a"] = 2
        object["z"] = 3
        #expect(object.keys == ["z", "a"])
        #expect(JSONValue.object(object).pythonJSONString == #"{"z":3,"a":2}"#)
        let reordered: JSONValue.Object = ["a": 2, "z": 3]
        #expect(object == reordered)
        #expect(object.hashValue == reordered.hashValue)
        object["z"] = nil
        #expect(object.keys == ["a"])
        #expect(object.count == 1)
        #expect(object[0].key == "a")
    }

    @Test func accessorsReadTheValue() {
        var value: JSONValue = ["n": 5, "x": 2.5, "s": "text", "list": [1, 2], "flag": true, "none": nil]
        #expect(value["n"]?.intValue == 5)
        #expect(value["n"]?.doubleValue == 5)
        #expect(value["x"]?.doubleValue == 2.5)
        #expect(value["s"]?.stringValue == "text")
        #expect(value["list"]?[1] == 2)
        #expect(value["list"]?[2] == nil)
        #expect(value["flag"]?.boolValue == true)
        #expect(value["none"]?.isNull == true)
        #expect(value["missing"] == nil)
        value["n"] = 6
        #expect(value["n"] == 6)
        #expect(value.description == #"{"n":6,"x":2.5,"s":"text","list":[1,2],"flag":true,"none":null}"#)
    }

    @Test func randomDocumentsSurviveAWriteAndARead() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let text = value.pythonJSONBytes
            #expect(text.allSatisfy { $0 < 0x80 }, "ensure_ascii output is ASCII")
            let read = try JSONValue(parsing: text)
            #expect(read == value, "\(value.pythonJSONString)")
            #expect(read.pythonJSONBytes == text)
        }
    }

    @Test func randomFloatsReadBackExactly() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let value = Double(bitPattern: UInt64.random(in: .min ... .max, using: &generator))
            guard value.isFinite else { continue }
            let text = JSONValue.double(value).pythonJSONString
            #expect(try JSONValue(parsing: text) == .double(value), "\(text)")
        }
    }

    static func randomValue(depth: Int, using generator: inout SystemRandomNumberGenerator) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int.random(in: .min ... .max, using: &generator))
        case 3:
            let value = Double(bitPattern: UInt64.random(in: .min ... .max, using: &generator))
            return .double(value.isFinite ? value : 0.5)
        // Beyond Int's range, or it would read back as `.integer`.
        case 4: return .bigInteger("-" + String(UInt64.random(in: 1_000_000_000 ... .max, using: &generator)) + "0000000000")
        case 5:
            let scalars = (0..<Int.random(in: 0..<12, using: &generator)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &generator))
            }
            return .string(String(String.UnicodeScalarView(scalars)))
        case 6:
            return .array((0..<Int.random(in: 0..<5, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var object = JSONValue.Object()
            for index in 0..<Int.random(in: 0..<5, using: &generator) {
                object["k\(index)\(Int.random(in: 0..<100, using: &generator))"] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(object)
        }
    }
}
