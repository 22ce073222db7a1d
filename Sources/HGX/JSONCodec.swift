import HypergolixWire

/// States as JSON documents, interchangeable with Python's `hgx.JsonObj` / `hgx.JsonProxy` (API id `00…03`):
/// written exactly as `json.dumps(state, separators=(',', ':'))` writes them, and anything Python writes
/// can be read.
public enum JSONCodec: HGXCodec {
    public static let defaultAPIID = ApiID.json

    public static func encode(_ state: JSONValue) -> [UInt8] { state.pythonJSONBytes }

    public static func decode(_ bytes: [UInt8]) throws -> JSONValue { try JSONValue(parsing: bytes) }
}
