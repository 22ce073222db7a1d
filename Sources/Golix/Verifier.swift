/// Third-party verification: checks objects against a set of known public identities, as a persistence
/// server does. Knows nothing about secrets, so it cannot read anything it verifies.
public struct Verifier: Sendable {
    public private(set) var identities: [Ghid: Identity] = [:]

    public init(identities: some Sequence<Identity> = []) {
        for identity in identities { add(identity) }
    }

    public mutating func add(_ identity: Identity) {
        identities[identity.ghid] = identity
    }

    public func identity(_ ghid: Ghid) throws(GolixError) -> Identity {
        guard let identity = identities[ghid] else { throw .unknownIdentity(ghid) }
        return identity
    }

    /// Checks an object's signature against its signer's identity. Identities carry no signature (their
    /// hash was checked when parsed); requests can only be authenticated by their recipient, so for them
    /// this checks that the recipient is known and uses the suite the request was sealed with.
    public func verify(_ object: GolixObject) throws(GolixError) {
        switch object {
        case .identity:
            return
        case .request(let request):
            let recipient = try identity(request.recipient)
            guard recipient.cipherSuite == request.cipherSuite else {
                throw .cipherSuiteMismatch(object: request.cipherSuite.rawValue, identity: recipient.cipherSuite.rawValue)
            }
        case .container(let object): try verify(signed: object)
        case .staticBinding(let object): try verify(signed: object)
        case .dynamicBinding(let object): try verify(signed: object)
        case .debinding(let object): try verify(signed: object)
        }
    }

    public func verify(signed object: some SignedObject) throws(GolixError) {
        try identity(object.signer).verify(object)
    }
}
