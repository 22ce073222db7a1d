import Testing

@testable import TalkerServer

@Suite struct TalkerCommandTests {
    @Test(arguments: [
        ("/help", TalkerCommand.help),
        ("/HELP", .help),
        ("/name alice", .name("alice")),
        ("/name \t bob  ", .name("bob")),
        ("/who", .who),
        ("/peer-listen 0.0.0.0 9999", .peerListen(host: "0.0.0.0", port: 9999)),
        ("/peer-listen 127.0.0.1 0", .peerListen(host: "127.0.0.1", port: 0)),
        ("/peer-connect localhost 9999", .peerConnect(host: "localhost", port: 9999)),
        ("/peers", .peers),
        ("/quit", .quit),
    ])
    func commandsParse(_ line: String, _ expected: TalkerCommand) throws {
        #expect(try TalkerCommand(parsing: line) == expected)
    }

    @Test(arguments: [
        ("/nmae bob", TalkerCommand.ParseError.unknown("/nmae")),
        ("/", .unknown("/")),
        ("/name", .usage("/name NAME")),
        ("/name a b", .usage("/name NAME")),
        ("/who all", .usage("/who")),
        ("/help me", .usage("/help")),
        ("/peers x", .usage("/peers")),
        ("/quit now", .usage("/quit")),
        ("/peer-listen 9999", .usage("/peer-listen HOST PORT")),
        ("/peer-connect localhost", .usage("/peer-connect HOST PORT")),
        ("/peer-connect localhost 0", .badPort("0")),
        ("/peer-connect localhost 65536", .badPort("65536")),
        ("/peer-listen localhost -1", .badPort("-1")),
        ("/peer-listen localhost http", .badPort("http")),
    ])
    func badCommandsAreExplained(_ line: String, _ expected: TalkerCommand.ParseError) {
        #expect(throws: expected) { try TalkerCommand(parsing: line) }
    }

    @Test func errorsReadWell() {
        #expect("\(TalkerCommand.ParseError.unknown("/x"))" == "unknown command /x (try /help)")
        #expect("\(TalkerCommand.ParseError.usage("/name NAME"))" == "usage: /name NAME")
    }
}
