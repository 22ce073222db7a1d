import Foundation
import HypergolixWire

/// States of any `Codable` type, stored as JSON that Python's `hgx.JsonObj` can read (and that this codec
/// reads back from Python, `NaN` and `Infinity` included).
///
/// The API id is the type's own ``HGXIdentifiedState/apiID`` if it declares one, otherwise one derived from
/// the type's fully qualified name, so two apps that share the type agree on it without coordination. Pass an
/// explicit `apiID` to ``HGXLink/new(_:state:apiID:dynamic:private:)`` to choose another.
///
/// Object keys are written in sorted order, so the same value always makes the same bytes.
public enum CodableCodec<Value: Codable & Sendable>: HGXCodec {
    public static var defaultAPIID: ApiID {
        if let identified = Value.self as? any HGXIdentifiedState.Type { return identified.apiID }
        return ApiID.named("hgx.codable." + String(reflecting: Value.self))
    }

    private static var nanToken: String { NonFiniteTokens.nan }
    private static var infinityToken: String { NonFiniteTokens.infinity }
    private static var negativeInfinityToken: String { NonFiniteTokens.negativeInfinity }

    public static func encode(_ state: Value) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: infinityToken, negativeInfinity: negativeInfinityToken, nan: nanToken)
        let standard = try JSONValue(parsing: [UInt8](encoder.encode(state)))
        return restoringNonFinite(standard).pythonJSONBytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> Value {
        let value = try JSONValue(parsing: bytes)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: infinityToken, negativeInfinity: negativeInfinityToken, nan: nanToken)
        return try decoder.decode(Value.self, from: Data(replacingNonFinite(value).pythonJSONBytes))
    }

    private static func restoringNonFinite(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(nanToken): return .double(.nan)
        case .string(infinityToken): return .double(.infinity)
        case .string(negativeInfinityToken): return .double(-.infinity)
        case .array(let elements): return .array(elements.map(restoringNonFinite))
        case .object(let object): return .object(JSONValue.Object(object.map { ($0.key, restoringNonFinite($0.value)) }))
        default: return value
        }
    }

    private static func replacingNonFinite(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let number) where number.isNaN: return .string(nanToken)
        case .double(let number) where number.isInfinite: return .string(number < 0 ? negativeInfinityToken : infinityToken)
        case .array(let elements): return .array(elements.map(replacingNonFinite))
        case .object(let object): return .object(JSONValue.Object(object.map { ($0.key, replacingNonFinite($0.value)) }))
        default: return value
        }
    }
}

/// Foundation's JSON coders cannot write or read the NaN and Infinity literals Python uses, so non-finite
/// numbers travel through them as these strings, which no real state contains, and are swapped for the
/// literals outside. They need no escaping: Foundation compares them with the raw text of the document.
private enum NonFiniteTokens {
    static let nan = "hgx.nonfinite.nan.7c1e9a4f2d"
    static let infinity = "hgx.nonfinite.+inf.7c1e9a4f2d"
    static let negativeInfinity = "hgx.nonfinite.-inf.7c1e9a4f2d"
}
