import Foundation
import Golix

/// The account's root object: a dynamic binding owned by the identity whose containers hold the
/// ``AccountDocument``, encrypted with secrets derived from the root secret alone. The user id is its
/// dynamic ghid, so user id + password find and open it from any machine.
///
/// Frame k's secret is `HKDF-SHA512(root.seed ‖ root.key, salt = the previous frame's container ghid (65 zero
/// bytes for frame 0), info = fingerprint, 48)` → key ‖ seed: everything a reader needs is the root secret and
/// the frame's own target vector. A container's plaintext is `"hgxa" | version 1 | document | SHA-512 of all
/// that`: the hash is the password check, since CTR decryption with a wrong key gives no error by itself.
enum AccountRoot {
    static let magic: [UInt8] = Array("hgxa".utf8)
    static let version: UInt8 = 1
    static let noPrevious = Ghid(algorithm: 0, address: [UInt8](repeating: 0, count: 64))!

    static func secret(root: Secret, previous: Ghid?, fingerprint: Ghid) -> Secret {
        root.ratcheted(previousContainer: previous ?? noPrevious, dynamic: fingerprint)
    }

    static func seal(_ document: [UInt8]) -> [UInt8] {
        let body = magic + [version] + document
        return body + Digests.sha512(body)
    }

    static func open(_ plaintext: [UInt8]) throws -> [UInt8] {
        guard plaintext.count > 69, Array(plaintext.prefix(4)) == magic else { throw DaemonError.wrongPassword }
        let body = Array(plaintext.dropLast(64))
        guard Digests.sha512(body) == Array(plaintext.suffix(64)) else { throw DaemonError.wrongPassword }
        guard body[4] == version else { throw DaemonError.account("account root format \(body[4]) is not understood") }
        return Array(body[5...])
    }

    /// Makes the next root frame (and its container) holding `document`.
    static func makeFrame(
        document: [UInt8],
        identity: PrivateIdentity,
        root: Secret,
        previous: DynamicBinding?
    ) throws -> (DynamicBinding, Container) {
        let secret = secret(root: root, previous: previous?.target, fingerprint: identity.ghid)
        let container = try identity.makeContainer(seal(document), secret: secret)
        let frame: DynamicBinding
        if let previous {
            frame = try identity.makeDynamicBinding(
                targets: [container.ghid, previous.target], counter: previous.counter + 1, dynamic: previous.dynamicGhid)
        } else {
            frame = try identity.makeDynamicBinding(targets: [container.ghid], counter: 0, dynamic: nil)
        }
        return (frame, container)
    }

    /// Opens the document a root frame points at.
    static func read(frame: DynamicBinding, container: Container, root: Secret, fingerprint: Ghid) throws -> AccountDocument {
        guard container.ghid == frame.target else { throw DaemonError.account("the root container does not match its frame") }
        let previous = frame.targetVector.count > 1 ? frame.targetVector[1] : nil
        let secret = secret(root: root, previous: previous, fingerprint: fingerprint)
        return try AccountDocument.decode(open(container.plaintext(using: secret)))
    }
}
