import Golix

/// What the rules need to know about a stored object, without its bytes.
///
/// A dynamic binding is stored as its *current frame*: `ghid` is the frame ghid and `dynamic` the binding's
/// dynamic ghid, through which it is also found. Only the newest frame of a binding is kept.
public struct StoredObject: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        case identity = 1
        case container = 2
        case staticBinding = 3
        case dynamicBinding = 4
        case debinding = 5
        case request = 6
    }

    public let ghid: Ghid
    public let kind: Kind
    /// Author, binder or debinder; nil for identities and requests (whose author is sealed inside).
    public let signer: Ghid?
    /// The bound or debound object; a frame's current target; a request's recipient.
    public let target: Ghid?
    /// A frame's dynamic ghid.
    public let dynamic: Ghid?
    /// A frame's counter.
    public let counter: UInt64?

    public init(ghid: Ghid, kind: Kind, signer: Ghid?, target: Ghid?, dynamic: Ghid?, counter: UInt64?) {
        self.ghid = ghid
        self.kind = kind
        self.signer = signer
        self.target = target
        self.dynamic = dynamic
        self.counter = counter
    }

    public init(_ object: GolixObject) {
        switch object {
        case .identity(let identity):
            self.init(ghid: identity.ghid, kind: .identity, signer: nil, target: nil, dynamic: nil, counter: nil)
        case .container(let container):
            self.init(ghid: container.ghid, kind: .container, signer: container.author, target: nil, dynamic: nil, counter: nil)
        case .staticBinding(let binding):
            self.init(ghid: binding.ghid, kind: .staticBinding, signer: binding.binder, target: binding.target,
                      dynamic: nil, counter: nil)
        case .dynamicBinding(let frame):
            self.init(ghid: frame.ghid, kind: .dynamicBinding, signer: frame.binder, target: frame.target,
                      dynamic: frame.dynamicGhid, counter: frame.counter)
        case .debinding(let debinding):
            self.init(ghid: debinding.ghid, kind: .debinding, signer: debinding.debinder, target: debinding.target,
                      dynamic: nil, counter: nil)
        case .request(let request):
            self.init(ghid: request.ghid, kind: .request, signer: nil, target: request.recipient, dynamic: nil, counter: nil)
        }
    }

    /// The ghid others use to refer to this object: a binding's dynamic ghid, else its own.
    public var address: Ghid { dynamic ?? ghid }
}
