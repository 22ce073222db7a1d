import Foundation
import Golix
import HypergolixWire

/// Everything an account needs to be restored on a fresh machine, serialised as JSON inside the
/// account's root object. Versioned: readers refuse versions they do not know rather than guess.
/// docs/account-format.md describes it.
struct AccountDocument: Codable, Equatable, Sendable {
    static let format = "hypergolix-swift-account"
    static let currentVersion = 1

    struct OwnObject: Codable, Equatable, Sendable {
        var ghid: Ghid
        var dynamic: Bool
        var legroom: Int
    }

    struct Share: Codable, Equatable, Sendable {
        var request: Ghid?
        var ghid: Ghid
        var peer: Ghid
        var token: String?
        var apiID: String?
    }

    var format = AccountDocument.format
    var version = AccountDocument.currentVersion
    var identity: PortableIdentity
    /// App tokens, hex.
    var tokens: [String] = []
    /// Startup objects by app token (hex).
    var startup: [String: Ghid] = [:]
    /// Private objects and the token (hex) that owns each.
    var privateObjects: [String: String] = [:]
    var ownObjects: [OwnObject] = []
    var followed: [Ghid] = []
    /// Container ghid (base64) → "SH" secret (base64).
    var secrets: [String: String] = [:]
    var outgoingShares: [Share] = []
    var incomingShares: [Share] = []

    enum CodingKeys: String, CodingKey {
        case format, version, identity, tokens, startup, secrets, followed
        case privateObjects = "private_objects"
        case ownObjects = "own_objects"
        case outgoingShares = "outgoing_shares"
        case incomingShares = "incoming_shares"
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [UInt8](try encoder.encode(self))
    }

    static func decode(_ bytes: [UInt8]) throws -> AccountDocument {
        struct Header: Decodable {
            let format: String
            let version: Int
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes))
        } catch {
            throw DaemonError.account("the account document is not readable: \(error)")
        }
        guard header.format == format else { throw DaemonError.account("not a Hypergolix account document") }
        guard header.version == currentVersion else {
            throw DaemonError.account("account document version \(header.version) is newer than this daemon understands")
        }
        do {
            return try JSONDecoder().decode(AccountDocument.self, from: Data(bytes))
        } catch {
            throw DaemonError.account("the account document is damaged: \(error)")
        }
    }
}
