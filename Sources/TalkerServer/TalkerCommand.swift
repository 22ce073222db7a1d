/// A `/`-prefixed line from a client.
public enum TalkerCommand: Hashable, Sendable {
    case help
    case name(String)
    case who
    case peerListen(host: String, port: Int)
    case peerConnect(host: String, port: Int)
    case peers
    case quit

    /// Why a command line was refused; `description` is what the client is told.
    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case unknown(String)
        case usage(String)
        case badPort(String)

        public var description: String {
            switch self {
            case .unknown(let command): return "unknown command \(command) (try /help)"
            case .usage(let usage): return "usage: \(usage)"
            case .badPort(let port): return "\"\(port)\" is not a port number"
            }
        }
    }

    /// The commands, with their usage and what they do, as `/help` shows them.
    public static let summary: [(usage: String, purpose: String)] = [
        ("/help", "this list"),
        ("/name NAME", "choose the name others see (letters, digits, _ - .)"),
        ("/who", "list everyone on every server; the answer comes when all servers replied"),
        ("/peer-listen HOST PORT", "accept server links on HOST:PORT (PORT 0 picks one)"),
        ("/peer-connect HOST PORT", "link this server to the server listening on HOST:PORT"),
        ("/peers", "this server's links and the network as it knows it"),
        ("/quit", "leave"),
        ("//text", "say text that starts with a /"),
    ]

    /// Parses `line`, which starts with `/`. Command names ignore case; arguments are separated
    /// by spaces or tabs.
    public init(parsing line: some StringProtocol) throws(ParseError) {
        let isSeparator: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let words = String(line).split(whereSeparator: isSeparator).map(String.init)
        let name = words.first?.lowercased() ?? String(line)
        let arguments = Array(words.dropFirst())
        switch name {
        case "/help":
            try Self.expectNoArguments(arguments, usage: "/help")
            self = .help
        case "/name":
            guard arguments.count == 1 else { throw .usage("/name NAME") }
            self = .name(arguments[0])
        case "/who":
            try Self.expectNoArguments(arguments, usage: "/who")
            self = .who
        case "/peer-listen":
            guard arguments.count == 2 else { throw .usage("/peer-listen HOST PORT") }
            self = .peerListen(host: arguments[0], port: try Self.port(arguments[1], allowZero: true))
        case "/peer-connect":
            guard arguments.count == 2 else { throw .usage("/peer-connect HOST PORT") }
            self = .peerConnect(host: arguments[0], port: try Self.port(arguments[1], allowZero: false))
        case "/peers":
            try Self.expectNoArguments(arguments, usage: "/peers")
            self = .peers
        case "/quit":
            try Self.expectNoArguments(arguments, usage: "/quit")
            self = .quit
        default:
            throw .unknown(String(name.prefix(40)))
        }
    }

    private static func expectNoArguments(_ arguments: [String], usage: String) throws(ParseError) {
        guard arguments.isEmpty else { throw .usage(usage) }
    }

    private static func port(_ text: String, allowZero: Bool) throws(ParseError) -> Int {
        guard let port = Int(text), (allowZero ? 0 : 1)...65535 ~= port else {
            throw .badPort(String(text.prefix(20)))
        }
        return port
    }
}
