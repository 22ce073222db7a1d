import Foundation

/// A JSON value that keeps its keys in order, so files come out as the original writes them
/// (Python's `json.dump(indent=4)`), and a writer for it.
indirect enum OrderedJSON: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        lhs.text() == rhs.text()
    }

    /// Python's `json.dumps(value, indent=4)`: ", " free item separators at line ends, ": " after keys,
    /// empty containers as `[]` / `{}`.
    func text(indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent + 4)
        let close = String(repeating: " ", count: indent)
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .string(let value): return Self.quote(value)
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { pad + $0.text(indent: indent + 4) }.joined(separator: ",\n") + "\n\(close)]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            return "{\n" + fields.map { pad + Self.quote($0.0) + ": " + $0.1.text(indent: indent + 4) }
                .joined(separator: ",\n") + "\n\(close)}"
        }
    }

    /// ASCII-only escaping, as Python's default `ensure_ascii`.
    static func quote(_ string: String) -> String {
        var out = "\""
        for unit in string.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(unit)!)
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }
}
