import Foundation
@testable import Golix

/// The CS1 conformance vectors made by the reference library (Fixtures/README.md describes them).
enum Vectors {
    struct Identities: Decodable {
        let identities: [String: PortableIdentity]
        let macKeys: [String: MACKey]
        enum CodingKeys: String, CodingKey {
            case identities
            case macKeys = "mac_keys"
        }
    }

    struct MACKey: Decodable {
        let hkdfSaltHex: String
        let macKeyHex: String
        enum CodingKeys: String, CodingKey {
            case hkdfSaltHex = "hkdf_salt_hex"
            case macKeyHex = "mac_key_hex"
        }
    }

    struct SecretRecord: Decodable {
        let keyHex: String
        let seedHex: String
        let serializedHex: String
        enum CodingKeys: String, CodingKey {
            case keyHex = "key_hex"
            case seedHex = "seed_hex"
            case serializedHex = "serialized_hex"
        }
    }

    /// Fields common to every record; each file uses a subset.
    struct Record: Decodable {
        let name: String
        let author: String?
        let binder: String?
        let debinder: String?
        let recipient: String?
        let secret: SecretRecord?
        let plaintextHex: String?
        let ghidHex: String?
        let ghidStr: String?
        let targetGhidHex: String?
        let packedHex: String?
        let ciphertextHex: String?
        let innerPlaintextHex: String?
        let macHex: String?
        let type: String?
        enum CodingKeys: String, CodingKey {
            case name, author, binder, debinder, recipient, secret, type
            case plaintextHex = "plaintext_hex"
            case ghidHex = "ghid_hex"
            case ghidStr = "ghid_str"
            case targetGhidHex = "target_ghid_hex"
            case packedHex = "packed_hex"
            case ciphertextHex = "ciphertext_hex"
            case innerPlaintextHex = "inner_plaintext_hex"
            case macHex = "mac_hex"
        }
    }

    struct Frame: Decodable {
        let counter: UInt64
        let targetVectorHex: [String]
        let frameGhidHex: String
        let packedHex: String
        enum CodingKeys: String, CodingKey {
            case counter
            case targetVectorHex = "target_vector_hex"
            case frameGhidHex = "frame_ghid_hex"
            case packedHex = "packed_hex"
        }
    }

    struct DynamicRecord: Decodable {
        let name: String
        let binder: String
        let dynamicGhidHex: String
        let frames: [Frame]
        enum CodingKeys: String, CodingKey {
            case name, binder, frames
            case dynamicGhidHex = "dynamic_ghid_hex"
        }
    }

    struct Negative: Decodable {
        let name: String
        let type: String
        let level: String
        let reason: String
        let hex: String?
        let sequenceHex: [String]?
        let rejectIndex: Int?
        let recipientKeys: String?
        let pyGolixRejects: Bool?
        enum CodingKeys: String, CodingKey {
            case name, type, level, reason, hex
            case sequenceHex = "sequence_hex"
            case rejectIndex = "reject_index"
            case recipientKeys = "recipient_keys"
            case pyGolixRejects = "py_golix_rejects"
        }
    }

    struct File<Item: Decodable>: Decodable {
        let vectors: [Item]
        let referenceLimitations: [Record]?
        enum CodingKeys: String, CodingKey {
            case vectors
            case referenceLimitations = "reference_limitations"
        }
    }

    struct GOBDFile: Decodable {
        let bindings: [DynamicRecord]
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    struct FixtureMissing: Error {
        let name: String
    }

    static let identities: Identities = {
        do { return try load("identities", as: Identities.self) } catch { fatalError("fixtures: \(error)") }
    }()

    /// alice and bob, imported from their portable private keys.
    static let people: [String: PrivateIdentity] = {
        var out = [String: PrivateIdentity]()
        for (name, portable) in identities.identities {
            do { out[name] = try PrivateIdentity(portable: portable) } catch { fatalError("import \(name): \(error)") }
        }
        return out
    }()

    static var alice: PrivateIdentity { people["alice"]! }
    static var bob: PrivateIdentity { people["bob"]! }
    static var verifier: Verifier { Verifier(identities: people.values.map(\.identity)) }
}

func bytes(_ hex: String?) -> [UInt8] {
    guard let hex, let bytes = [UInt8](hexString: hex) else { return [] }
    return bytes
}

func ghid(_ hex: String?) -> Ghid {
    Ghid(bytes: bytes(hex)) ?? Ghid(algorithm: 0, address: [UInt8](repeating: 0, count: 64))!
}
