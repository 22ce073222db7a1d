/// Any of the six Golix objects, told apart by their 4-byte magic.
public enum GolixObject: Sendable, Hashable {
    case identity(Identity)
    case container(Container)
    case staticBinding(StaticBinding)
    case dynamicBinding(DynamicBinding)
    case debinding(Debinding)
    case request(Request)

    public enum Kind: String, Sendable, CaseIterable {
        case identity = "GIDC"
        case container = "GEOC"
        case staticBinding = "GOBS"
        case dynamicBinding = "GOBD"
        case debinding = "GDXX"
        case request = "GARQ"
    }

    /// Parses any object. Strict: exact length, known version and suite, address algorithm 1, and the
    /// file hash must match; signatures are checked separately (they need the signer's identity).
    public init(parsing bytes: [UInt8]) throws(GolixError) {
        let magic = Array(bytes.prefix(4))
        switch Kind(rawValue: String(decoding: magic, as: UTF8.self)) {
        case .identity: self = .identity(try Identity(parsing: bytes))
        case .container: self = .container(try Container(parsing: bytes))
        case .staticBinding: self = .staticBinding(try StaticBinding(parsing: bytes))
        case .dynamicBinding: self = .dynamicBinding(try DynamicBinding(parsing: bytes))
        case .debinding: self = .debinding(try Debinding(parsing: bytes))
        case .request: self = .request(try Request(parsing: bytes))
        case nil:
            if bytes.count < 4 { throw .truncated(offset: 0, needed: 4 - bytes.count) }
            throw .badMagic(magic)
        }
    }

    public var kind: Kind {
        switch self {
        case .identity: return .identity
        case .container: return .container
        case .staticBinding: return .staticBinding
        case .dynamicBinding: return .dynamicBinding
        case .debinding: return .debinding
        case .request: return .request
        }
    }

    /// The object's own address; for a dynamic binding, the *frame* ghid.
    public var ghid: Ghid {
        switch self {
        case .identity(let object): return object.ghid
        case .container(let object): return object.ghid
        case .staticBinding(let object): return object.ghid
        case .dynamicBinding(let object): return object.ghid
        case .debinding(let object): return object.ghid
        case .request(let object): return object.ghid
        }
    }

    public var cipherSuite: CipherSuite {
        switch self {
        case .identity(let object): return object.cipherSuite
        case .container(let object): return object.cipherSuite
        case .staticBinding(let object): return object.cipherSuite
        case .dynamicBinding(let object): return object.cipherSuite
        case .debinding(let object): return object.cipherSuite
        case .request(let object): return object.cipherSuite
        }
    }

    /// The signed part of the object, for everything but identities and requests.
    public var signed: (any SignedObject)? {
        switch self {
        case .container(let object): return object
        case .staticBinding(let object): return object
        case .dynamicBinding(let object): return object
        case .debinding(let object): return object
        case .identity, .request: return nil
        }
    }

    public func serialized() -> [UInt8] {
        switch self {
        case .identity(let object): return object.serialized()
        case .container(let object): return object.serialized()
        case .staticBinding(let object): return object.serialized()
        case .dynamicBinding(let object): return object.serialized()
        case .debinding(let object): return object.serialized()
        case .request(let object): return object.serialized()
        }
    }
}
