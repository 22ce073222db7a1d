/// A JSON document as Python's `json` module sees it: the state of a Python `hgx.JsonObj`.
///
/// Objects keep their keys in insertion order, as Python dicts do, so a document read and written back is
/// byte-identical. Python extends JSON in ways this type keeps: integers of any size
/// (``bigInteger(_:)`` holds their exact digits) and the non-finite floats `NaN`, `Infinity` and `-Infinity`.
///
/// ```swift
/// let state: JSONValue = ["name": "telemeter", "interval": 5.0, "tags": ["a", "b"], "owner": nil]
/// state["interval"]?.doubleValue  // 5.0
/// ```
///
/// Equality is structural: `.integer(1)` and `.double(1.0)` differ (Python would call them equal), and
/// object equality ignores key order, as Python's dict equality does.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// An integer that fits in `Int`.
    case integer(Int)
    /// An integer too large for `Int`, as its exact decimal digits (with a leading `-` if negative).
    case bigInteger(String)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(Object)
}

extension JSONValue {
    /// Parses JSON as Python's `json.loads` accepts it (see ``JSONParser``).
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        self = try JSONParser.parse(Array(bytes))
    }

    /// Parses JSON text.
    public init(parsing text: String) throws(JSONParseError) {
        self = try JSONParser.parse(Array(text.utf8))
    }

    /// The bytes `json.dumps(value, separators=(',', ':')).encode('utf-8')` produces in Python.
    public var pythonJSONBytes: [UInt8] { PythonJSONEncoder.encode(self) }

    /// ``pythonJSONBytes`` as text (always ASCII).
    public var pythonJSONString: String { String(decoding: pythonJSONBytes, as: UTF8.self) }
}

extension JSONValue {
    public var isNull: Bool { self == .null }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value of an integer that fits in `Int`.
    public var intValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// Any number as a `Double` (integers converted, possibly rounding).
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .integer(let value): return Double(value)
        case .bigInteger(let digits): return Double(digits)
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: Object? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The member `key` of an object; nil for a missing key or a value that is not an object. Setting a
    /// member of a non-object does nothing.
    public subscript(key: String) -> JSONValue? {
        get { objectValue?[key] }
        set {
            guard case .object(var object) = self else { return }
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element at `index` of an array; nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// Keys keep the literal's order; a repeated key keeps its first position and its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = Object()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSONValue: CustomStringConvertible {
    /// The Python JSON text.
    public var description: String { pythonJSONString }
}
