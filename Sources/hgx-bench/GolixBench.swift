import ArgumentParser
import Golix

/// Per-suite cost of every Golix operation the server and daemon perform.
struct GolixBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "golix",
        abstract: "Ops/s for identity creation, containers, bindings, frames, verification and requests."
    )

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 1.0

    @Option(help: "Cipher suites to measure (1, 3).")
    var suite: [UInt8] = [3, 1]

    func run() async throws {
        for byte in suite {
            guard let suite = CipherSuite(rawValue: byte) else { throw ValidationError("unknown suite \(byte)") }
            report("== cipher suite \(suite.rawValue)")
            try measure(suite)
        }
    }

    func measure(_ suite: CipherSuite) throws {
        let me = try PrivateIdentity.generate(cipherSuite: suite)
        let peer = try PrivateIdentity.generate(cipherSuite: suite)
        let verifier = Verifier(identities: [me.identity, peer.identity])
        let secret = Secret.random(cipherSuite: suite)
        let kib = [UInt8](repeating: 0x5A, count: 1024)
        let mib = [UInt8](repeating: 0xA5, count: 1 << 20)
        let target = Ghid.pseudorandom()
        let history = (0..<7).map { _ in Ghid.pseudorandom() }
        let first = try me.makeDynamicBinding(targets: [target], counter: 0, dynamic: nil)

        report(try Measurement.run("identity creation", seconds: suite == .suite1 ? 3 * seconds : seconds) {
            _ = try PrivateIdentity.generate(cipherSuite: suite)
        }.line)
        let smallContainer = try me.makeContainer(kib, secret: secret)
        let bigContainer = try me.makeContainer(mib, secret: secret)
        report(try Measurement.run("container make 1 KiB", seconds: seconds) {
            _ = try me.makeContainer(kib, secret: secret)
        }.line)
        report(try Measurement.run("container open 1 KiB", seconds: seconds) {
            _ = try smallContainer.plaintext(using: secret)
        }.line)
        report(try Measurement.run("container make 1 MiB", seconds: seconds) {
            _ = try me.makeContainer(mib, secret: secret)
        }.line)
        report(try Measurement.run("container open 1 MiB", seconds: seconds) {
            _ = try bigContainer.plaintext(using: secret)
        }.line)
        report(try Measurement.run("static binding make", seconds: seconds) {
            _ = try me.makeStaticBinding(target: target)
        }.line)
        report(try Measurement.run("frame make (8 targets)", seconds: seconds) {
            _ = try me.makeDynamicBinding(targets: [target] + history, counter: 9, dynamic: first.dynamicGhid)
        }.line)
        report(try Measurement.run("frame + container make (1 KiB, an update)", seconds: seconds) {
            let container = try me.makeContainer(kib, secret: secret)
            _ = try me.makeDynamicBinding(
                targets: [container.ghid] + history, counter: 9, dynamic: first.dynamicGhid)
        }.line)
        let frameBytes = try me.makeDynamicBinding(
            targets: [target] + history, counter: 9, dynamic: first.dynamicGhid
        ).serialized()
        report(try Measurement.run("frame parse + verify", seconds: seconds) {
            try verifier.verify(GolixObject(parsing: frameBytes))
        }.line)
        let containerBytes = smallContainer.serialized()
        report(try Measurement.run("container parse + verify (1 KiB)", seconds: seconds) {
            try verifier.verify(GolixObject(parsing: containerBytes))
        }.line)
        let handshake = RequestPayload.handshake(target: target, secret: secret)
        let request = try me.makeRequest(handshake, to: peer.identity)
        report(try Measurement.run("request make (handshake)", seconds: seconds) {
            _ = try me.makeRequest(handshake, to: peer.identity)
        }.line)
        report(try Measurement.run("request open (decrypt + MAC)", seconds: seconds) {
            _ = try peer.open(request, from: me.identity)
        }.line)
        let next = secret.ratcheted(previousContainer: target, dynamic: first.dynamicGhid)
        report(Measurement.run("ratchet step", seconds: seconds) {
            _ = next.ratcheted(previousContainer: target, dynamic: first.dynamicGhid)
        }.line)
    }
}
