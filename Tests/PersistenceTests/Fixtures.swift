import Foundation
import Golix

/// The CS1 conformance vectors (see Tests/GolixTests/Fixtures/README.md), for the sequence rules.
enum Fixtures {
    struct Identities: Decodable {
        let identities: [String: PortableIdentity]
    }

    struct Negative: Decodable {
        let name: String
        let level: String
        let sequenceHex: [String]?
        let rejectIndex: Int?
        enum CodingKeys: String, CodingKey {
            case name, level
            case sequenceHex = "sequence_hex"
            case rejectIndex = "reject_index"
        }
    }

    struct NegativeFile: Decodable {
        let vectors: [Negative]
    }

    struct Record: Decodable {
        let name: String
        let packedHex: String
        enum CodingKeys: String, CodingKey {
            case name
            case packedHex = "packed_hex"
        }
    }

    struct File: Decodable {
        let vectors: [Record]
    }

    static func load<T: Decodable>(_ name: String, as: T.Type) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    static let identities: Identities = try! load("identities", as: Identities.self)
}

func bytes(_ hex: String) -> [UInt8] { [UInt8](hexString: hex) ?? [] }
