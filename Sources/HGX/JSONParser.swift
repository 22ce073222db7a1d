/// Reads JSON as Python's `json.loads(bytes.decode('utf-8'))` does (the decoder `hgx.JsonObj` uses), so that
/// every state a Python app writes can be read:
///
/// - the literals `NaN`, `Infinity` and `-Infinity`; integers of any size; `1e400` reads as infinity;
/// - strict strings (no raw control characters), `\uXXXX` escapes with surrogate pairs joined; a lone
///   surrogate, which Python keeps but Swift strings cannot hold, becomes U+FFFD;
/// - a repeated object key keeps its first position and its last value;
/// - whitespace is space, tab, CR and LF only, and nothing but whitespace may follow the value.
///
/// Nesting is limited to ``maximumDepth`` levels, below Python's own recursion limit, so that hostile input
/// cannot exhaust the stack.
enum JSONParser {
    static let maximumDepth = 512

    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        // Python decodes the bytes as strict UTF-8 before parsing, so malformed UTF-8 is an error there too.
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw JSONParseError(offset: 0, reason: "not valid UTF-8")
        }
        var parser = Cursor(bytes: bytes)
        // A UTF-8 byte order mark is an error in Python too ("Unexpected UTF-8 BOM"), so it is not skipped.
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("extra data after the value") }
        return value
    }

    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        func error(_ reason: String) -> JSONParseError {
            JSONParseError(offset: index, reason: reason)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func consume(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            let pointer = literal.utf8Start
            for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
            index += count
            return true
        }

        mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
            guard let byte = current else { throw error("expecting a value") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "n") where consume("null"): return .null
            case UInt8(ascii: "t") where consume("true"): return .bool(true)
            case UInt8(ascii: "f") where consume("false"): return .bool(false)
            case UInt8(ascii: "N") where consume("NaN"): return .double(.nan)
            case UInt8(ascii: "I") where consume("Infinity"): return .double(.infinity)
            case UInt8(ascii: "-") where consume("-Infinity"): return .double(-.infinity)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("expecting a value")
            }
        }

        mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= JSONParser.maximumDepth else { throw error("nested deeper than \(JSONParser.maximumDepth) levels") }
            index += 1
            var object = JSONValue.Object()
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return .object(object)
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expecting a property name in double quotes") }
                let key = try string()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("expecting ':' delimiter") }
                index += 1
                skipWhitespace()
                object[key] = try value(depth: depth)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return .object(object)
                default: throw error("expecting ',' delimiter")
                }
            }
        }

        mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= JSONParser.maximumDepth else { throw error("nested deeper than \(JSONParser.maximumDepth) levels") }
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return .array(elements)
                default: throw error("expecting ',' delimiter")
                }
            }
        }

        /// Python's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
        mutating func number() throws(JSONParseError) -> JSONValue {
            let start = index
            func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
            if current == UInt8(ascii: "-") { index += 1 }
            guard isDigit(current) else { throw error("expecting a value") }
            if current == UInt8(ascii: "0") {
                index += 1
            } else {
                while isDigit(current) { index += 1 }
            }
            var isInteger = true
            if current == UInt8(ascii: "."), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
                isInteger = false
                index += 1
                while isDigit(current) { index += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                var lookahead = index + 1
                if lookahead < bytes.count, bytes[lookahead] == UInt8(ascii: "+") || bytes[lookahead] == UInt8(ascii: "-") {
                    lookahead += 1
                }
                // Python's scanner leaves a bare "1e" unconsumed, and the "e" then fails as extra data.
                if lookahead < bytes.count, isDigit(bytes[lookahead]) {
                    isInteger = false
                    index = lookahead
                    while isDigit(current) { index += 1 }
                }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if isInteger {
                if let value = Int(text) { return .integer(value) }
                return .bigInteger(text)
            }
            guard let value = Double(text) else { throw JSONParseError(offset: start, reason: "unreadable number \(text)") }
            return .double(value)
        }

        mutating func string() throws(JSONParseError) -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var runStart = index
            func flush(_ end: Int, into scalars: inout String.UnicodeScalarView, bytes: [UInt8], start: Int) {
                if end > start { scalars.append(contentsOf: String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars) }
            }
            while true {
                guard let byte = current else { throw error("unterminated string") }
                if byte == UInt8(ascii: "\"") {
                    flush(index, into: &scalars, bytes: bytes, start: runStart)
                    index += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw error("invalid control character in a string") }
                if byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                flush(index, into: &scalars, bytes: bytes, start: runStart)
                index += 1
                guard let escape = current else { throw error("unterminated string") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                default:
                    index -= 2
                    throw error("invalid \\escape")
                }
                runStart = index
            }
        }

        /// After `\u`: four hex digits, joined with a following `\uDC00`–`\uDFFF` when they are a high surrogate.
        mutating func unicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
            let first = try hexQuad()
            if (0xD800...0xDBFF).contains(first), index + 6 <= bytes.count,
                bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            {
                let saved = index
                index += 2
                let second = try hexQuad()
                if (0xDC00...0xDFFF).contains(second) {
                    let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    return Unicode.Scalar(combined) ?? "\u{FFFD}"
                }
                index = saved
            }
            return Unicode.Scalar(first) ?? "\u{FFFD}"
        }

        mutating func hexQuad() throws(JSONParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("invalid \\uXXXX escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw error("invalid \\uXXXX escape")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }
    }
}
