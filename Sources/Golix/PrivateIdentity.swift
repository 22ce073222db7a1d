import Crypto
import Foundation

/// A private identity (the "first party"): the keys that author containers, bindings, debindings and
/// requests, and that open requests addressed to this identity.
public struct PrivateIdentity: Sendable {
    /// The public half, as published in the GIDC.
    public let identity: Identity
    let keys: PrivateKeys

    public var ghid: Ghid { identity.ghid }
    public var cipherSuite: CipherSuite { identity.cipherSuite }

    init(keys: PrivateKeys) throws(GolixError) {
        let fields = try keys.publicFields()
        self.identity = try Identity(
            suite: keys.suite,
            signing: fields.signing,
            encryption: fields.encryption,
            exchange: fields.exchange
        )
        self.keys = keys
    }

    /// Creates a new identity. Suite 3 takes microseconds; suite 1 generates two RSA-4096 keys (about a
    /// second), which is why suite 3 is the default for new accounts.
    public static func generate(cipherSuite: CipherSuite = .suite3) throws(GolixError) -> PrivateIdentity {
        try PrivateIdentity(keys: PrivateKeys.generate(cipherSuite))
    }

    // MARK: - Making objects

    /// Encrypts `plaintext` with `secret` into a signed container (GEOC).
    ///
    /// An empty plaintext is refused: the reference implementation can neither make nor parse such a
    /// container, and Hypergolix never needs one (app payloads carry a 70-byte header).
    public func makeContainer(_ plaintext: [UInt8], secret: Secret) throws(GolixError) -> Container {
        guard !plaintext.isEmpty else { throw .unrepresentable("a container needs at least one byte of payload") }
        return try Container(author: self, payload: secret.applyKeystream(plaintext))
    }

    /// A new container and the dynamic-binding frame that points at it: one step of a dynamic object.
    ///
    /// With suite 1 the two RSA signatures (about 4 ms each) are made on two threads at once: the frame
    /// only needs the container's address, which does not depend on the container's signature.
    ///
    /// - Parameters:
    ///   - history: the previous targets, newest first (empty for the first frame).
    ///   - dynamic: the binding's dynamic ghid, or nil for the first frame.
    public func makeFrame(
        _ plaintext: [UInt8],
        secret: Secret,
        history: [Ghid],
        counter: UInt64,
        dynamic: Ghid?
    ) throws(GolixError) -> (Container, DynamicBinding) {
        guard !plaintext.isEmpty else { throw .unrepresentable("a container needs at least one byte of payload") }
        let payload = try secret.applyKeystream(plaintext)
        let (containerGhid, containerHash) = Container.address(suite: cipherSuite, author: ghid, payload: payload)
        let targets = [containerGhid] + history
        let containerSignature: [UInt8]
        let frame: DynamicBinding
        if cipherSuite == .suite1 {
            let unsigned = try DynamicBinding(binder: self, counter: counter, targetVector: targets, dynamic: dynamic, signature: [])
            let signatures = try ParallelSigning.sign([containerHash, unsigned.fileHash], with: keys)
            containerSignature = signatures[0]
            frame = try DynamicBinding(binder: self, counter: counter, targetVector: targets, dynamic: dynamic, signature: signatures[1])
        } else {
            containerSignature = try keys.sign(containerHash)
            frame = try DynamicBinding(binder: self, counter: counter, targetVector: targets, dynamic: dynamic)
        }
        let container = Container(cipherSuite: cipherSuite, author: ghid, payload: payload, ghid: containerGhid,
                                  fileHash: containerHash, signature: containerSignature)
        return (container, frame)
    }

    /// A static binding (GOBS): keeps `target` alive on persistence servers until debound.
    public func makeStaticBinding(target: Ghid) throws(GolixError) -> StaticBinding {
        try StaticBinding(binder: self, target: target)
    }

    /// A frame of a dynamic binding (GOBD).
    ///
    /// - Parameters:
    ///   - targets: the target vector, newest first; `targets[0]` is what the dynamic ghid now points at,
    ///     the rest is history that lets readers ratchet forward from any secret they already know.
    ///   - counter: 0 for the first frame, then strictly increasing.
    ///   - dynamic: the binding's dynamic ghid, or nil for the first frame (whose hash defines it).
    public func makeDynamicBinding(targets: [Ghid], counter: UInt64, dynamic: Ghid?) throws(GolixError) -> DynamicBinding {
        try DynamicBinding(binder: self, counter: counter, targetVector: targets, dynamic: dynamic)
    }

    /// A debinding (GDXX): tells persistence servers to drop `target` (a binding, debinding or request).
    public func makeDebinding(target: Ghid) throws(GolixError) -> Debinding {
        try Debinding(debinder: self, target: target)
    }

    /// A request (GARQ) to `recipient`: sealed with the recipient's suite, MAC'd with both exchange keys.
    public func makeRequest(_ payload: RequestPayload, to recipient: Identity) throws(GolixError) -> Request {
        let plaintext = RequestPlaintext(author: ghid, payload: payload)
        return try Request(
            sealing: plaintext.serialized(),
            to: recipient,
            macKey: requestMACKey(with: recipient)
        )
    }

    // MARK: - Opening requests

    /// Decrypts a request addressed to this identity. The author it names is not yet authenticated: look
    /// up that identity and call ``authenticate(_:from:)``, or use ``open(_:from:)``.
    public func decrypt(_ request: Request) throws(GolixError) -> RequestPlaintext {
        guard request.recipient == ghid else { throw .wrongIdentity(expected: request.recipient, actual: ghid) }
        guard request.cipherSuite == cipherSuite else {
            throw .cipherSuiteMismatch(object: request.cipherSuite.rawValue, identity: cipherSuite.rawValue)
        }
        return try RequestPlaintext(parsing: request.unseal(with: keys))
    }

    /// Checks the request's MAC, which only `author` and this identity can compute.
    public func authenticate(_ request: Request, from author: Identity) throws(GolixError) {
        let expected = try requestMACKey(with: author).mac(request.ghid)
        guard constantTimeEquals(expected, request.mac) else { throw .invalidMAC }
    }

    /// Decrypts and authenticates a request from `author`.
    public func open(_ request: Request, from author: Identity) throws(GolixError) -> RequestPlaintext {
        let plaintext = try decrypt(request)
        guard plaintext.author == author.ghid else {
            throw .wrongIdentity(expected: plaintext.author, actual: author.ghid)
        }
        try authenticate(request, from: author)
        return plaintext
    }

    /// Both directions derive the same key: X25519 is symmetric and so is the XOR salt.
    func requestMACKey(with peer: Identity) throws(GolixError) -> RequestMACKey {
        do {
            let shared = try keys.exchange.sharedSecretFromKeyAgreement(with: peer.keys.exchange)
            return RequestMACKey(sharedSecret: shared, salt: ghid.addressXOR(peer.ghid))
        } catch {
            throw .invalidKey("X25519 agreement: \(error)")
        }
    }
}

/// The HMAC-SHA512 key that authenticates requests between two identities.
struct RequestMACKey {
    let key: SymmetricKey

    init(sharedSecret: SharedSecret, salt: [UInt8]) {
        key = sharedSecret.hkdfDerivedSymmetricKey(
            using: SHA512.self,
            salt: salt,
            sharedInfo: [],
            outputByteCount: 64
        )
    }

    /// The MAC covers the request's 64-byte address only, not the bytes before it.
    func mac(_ request: Ghid) -> [UInt8] {
        Array(HMAC<SHA512>.authenticationCode(for: request.address, using: key))
    }
}

func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
}
