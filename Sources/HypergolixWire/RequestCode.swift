/// The two ASCII bytes that say what a message is: a request, or `AK`/`NK` for responses.
public struct RequestCode: Hashable, Sendable, CustomStringConvertible {
    public let bytes: (UInt8, UInt8)

    public init(_ text: StaticString) {
        precondition(text.utf8CodeUnitCount == 2, "request codes are two ASCII bytes")
        let pointer = text.utf8Start
        bytes = (pointer[0], pointer[1])
    }

    public init(_ first: UInt8, _ second: UInt8) {
        bytes = (first, second)
    }

    public static func == (lhs: RequestCode, rhs: RequestCode) -> Bool {
        lhs.bytes.0 == rhs.bytes.0 && lhs.bytes.1 == rhs.bytes.1
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.0)
        hasher.combine(bytes.1)
    }

    public var description: String {
        String(decoding: [bytes.0, bytes.1], as: UTF8.self)
    }

    public static let ack = RequestCode("AK")
    public static let nak = RequestCode("NK")

    // Persistence protocol (daemon ↔ server), HYPERGOLIX-0.1-WIRE §2.1.
    public static let ping = RequestCode("??")
    public static let publish = RequestCode("PB")
    public static let get = RequestCode("GT")
    public static let subscribe = RequestCode("+S")
    public static let unsubscribe = RequestCode("-S")
    public static let subscriptionUpdate = RequestCode("!!")
    public static let querySubscriptions = RequestCode("?S")
    public static let queryBindings = RequestCode("?B")
    public static let queryDebindings = RequestCode("?D")
    public static let queryExistence = RequestCode("?E")
    public static let disconnect = RequestCode("XX")

    // IPC protocol (app ↔ daemon), HYPERGOLIX-0.1-WIRE §3.2.
    public static let setToken = RequestCode("+T")
    public static let registerAPI = RequestCode("+A")
    public static let deregisterAPI = RequestCode("-A")
    public static let whoami = RequestCode("?I")
    public static let getStartup = RequestCode(">$")
    public static let registerStartup = RequestCode("+$")
    public static let deregisterStartup = RequestCode("-$")
    public static let getObject = RequestCode(">O")
    public static let newObject = RequestCode("+O")
    public static let updateObject = RequestCode("!O")
    public static let syncObject = RequestCode("~O")
    public static let shareObject = RequestCode("@O")
    public static let freezeObject = RequestCode("*O")
    public static let holdObject = RequestCode("#O")
    public static let discardObject = RequestCode("-O")
    public static let deleteObject = RequestCode("XO")
    public static let shareSucceeded = RequestCode("^S")
    public static let shareFailed = RequestCode("^F")
}
