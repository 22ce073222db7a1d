import Foundation
import HypergolixWire
import Testing

@testable import HGX

struct Reading: Codable, Sendable, Equatable {
    var sensor: String
    var celsius: Double
    var tags: [String]
    var nested: Nested?

    struct Nested: Codable, Sendable, Equatable {
        var count: Int
    }
}

struct IdentifiedReading: Codable, Sendable, Equatable, HGXIdentifiedState {
    static let apiID = ApiID.named("tests.identified-reading")
    var value: Int
}

/// A custom codec in the style of the seed's `hgx_pack`/`hgx_unpack`: UTF-8 text, refusing anything else.
enum TextCodec: HGXCodec {
    static let defaultAPIID = ApiID.named("tests.text")

    struct NotText: Error {}

    static func encode(_ state: String) throws -> [UInt8] {
        guard !state.isEmpty else { throw NotText() }
        return Array(state.utf8)
    }

    static func decode(_ bytes: [UInt8]) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw NotText() }
        return text
    }
}

@Suite struct CodecTests {
    @Test func defaultAPIIDsMatchThePythonClasses() {
        #expect(RawCodec.defaultAPIID.bytes == [0] + [UInt8](repeating: 0, count: 63) + [1])
        #expect(JSONCodec.defaultAPIID.bytes == [0] + [UInt8](repeating: 0, count: 63) + [3])
        #expect(CodableCodec<IdentifiedReading>.defaultAPIID == IdentifiedReading.apiID)
        #expect(CodableCodec<Reading>.defaultAPIID == ApiID.named("hgx.codable.HGXTests.Reading"))
        #expect(CodableCodec<Reading>.defaultAPIID != CodableCodec<Reading.Nested>.defaultAPIID)
    }

    @Test func rawBytesPassThrough() {
        let bytes: [UInt8] = [0, 1, 2, 255]
        #expect(RawCodec.encode(bytes) == bytes)
        #expect(RawCodec.decode(bytes) == bytes)
    }

    @Test func jsonIsWrittenAsPythonsJsonObjWritesIt() throws {
        let state: JSONValue = ["seven": 7, "name": "Zoë"]
        #expect(JSONCodec.encode(state) == Array(#"{"seven":7,"name":"Zo\u00eb"}"#.utf8))
        #expect(try JSONCodec.decode(Array(#"{"seven": 7, "name": "Zo\u00eb"}"#.utf8)) == state)
        #expect(JSONCodec.encode("Hello Json!") == Array(#""Hello Json!""#.utf8))
    }

    @Test func codableValuesBecomeSortedPythonJSON() throws {
        let reading = Reading(sensor: "ünit ✓", celsius: 21.5, tags: ["a/b"], nested: .init(count: 3))
        let bytes = try CodableCodec<Reading>.encode(reading)
        #expect(String(decoding: bytes, as: UTF8.self)
            == #"{"celsius":21.5,"nested":{"count":3},"sensor":"\u00fcnit \u2713","tags":["a/b"]}"#)
        #expect(try CodableCodec<Reading>.decode(bytes) == reading)
    }

    @Test func codableReadsWhatPythonWrites() throws {
        let python = #"{"tags": [], "sensor": "x", "celsius": NaN, "extra": [1, 2]}"#
        let reading = try CodableCodec<Reading>.decode(Array(python.utf8))
        #expect(reading.celsius.isNaN)
        #expect(reading.sensor == "x")
        #expect(reading.nested == nil)
        let infinite = try CodableCodec<Reading>.decode(Array(#"{"tags":[],"sensor":"","celsius":-Infinity}"#.utf8))
        #expect(infinite.celsius == -.infinity)
    }

    @Test func nonFiniteNumbersAreWrittenAsPythonsLiterals() throws {
        let bytes = try CodableCodec<[Double]>.encode([.nan, .infinity, -.infinity, 1])
        #expect(String(decoding: bytes, as: UTF8.self) == "[NaN,Infinity,-Infinity,1]")
    }

    @Test func codecFailuresBecomeSerializationErrors() throws {
        #expect(throws: HGXError.self) { try CodableCodec<Reading>.unpack(Array("{}".utf8)) }
        #expect(throws: HGXError.self) { try JSONCodec.unpack(Array("{".utf8)) }
        #expect(throws: HGXError.self) { try TextCodec.pack("") }
        #expect(throws: HGXError.self) { try TextCodec.unpack([0xFF]) }
        do throws(HGXError) {
            _ = try TextCodec.unpack([0xFF])
        } catch {
            guard case .serialization(let why) = error else {
                Issue.record("expected a serialization error, got \(error)")
                return
            }
            #expect(why.contains("String"))
        }
        #expect(try TextCodec.unpack(Array("ok".utf8)) == "ok")
    }
}
