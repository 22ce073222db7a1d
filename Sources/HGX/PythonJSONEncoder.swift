/// Writes JSON byte for byte as Python's `json.dumps(value, separators=(',', ':'))` does with its defaults
/// (`ensure_ascii=True`, `allow_nan=True`): the encoding of `hgx.JsonObj`, so that Python apps read our states
/// and the bytes of a state read from Python and written back do not change.
enum PythonJSONEncoder {
    static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .integer(let number): out += Array(String(number).utf8)
        case .bigInteger(let digits): out += Array(digits.utf8)
        case .double(let number): out += Array(PythonFloatFormatter.jsonText(number).utf8)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (position, member) in object.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Python's `py_encode_basestring_ascii`: printable ASCII (space to `~`) as is except `"` and `\`, the
    /// five short escapes, and everything else as lowercase `\uXXXX`, characters beyond the BMP as a
    /// surrogate pair.
    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case "\\": out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case "\n": out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case "\r": out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case "\t": out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case "\u{08}": out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case "\u{0C}": out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case " "..."~": out.append(UInt8(scalar.value))
            default:
                if scalar.value >= 0x10000 {
                    let offset = scalar.value - 0x10000
                    writeEscape(0xD800 | (offset >> 10), into: &out)
                    writeEscape(0xDC00 | (offset & 0x3FF), into: &out)
                } else {
                    writeEscape(scalar.value, into: &out)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeEscape(_ unit: UInt32, into out: inout [UInt8]) {
        out += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((unit >> UInt32(shift)) & 0xF)])
        }
    }
}
