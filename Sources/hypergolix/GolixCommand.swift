import ArgumentParser
import Foundation
import Golix

struct GolixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "golix",
        abstract: "Inspect and verify Golix objects (binary or hex files).",
        subcommands: [Inspect.self, Verify.self]
    )

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what each object is and whether it is well-formed (exit 1 if any is not)."
        )

        @Argument(help: "Golix object files, raw or hex.")
        var files: [String]

        func run() async throws {
            var allGood = true
            for path in files {
                do {
                    let object = try GolixObject(parsing: ObjectFile.read(path))
                    print("\(path): \(ObjectDescription(object).text)")
                    print("  well-formed: yes")
                } catch {
                    allGood = false
                    print("\(path): not a well-formed Golix object: \(error)")
                }
            }
            if !allGood { throw ExitCode.failure }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fully verify objects: structure, file hash, signature or MAC (exit 0 only if all pass).",
            discussion: """
                Identities come from --identities (a directory or file of GIDCs, binary or hex; other \
                objects there are ignored) and from GIDCs among the FILEs. Requests are authenticated \
                only with --keys for their recipient (a portable private identity JSON).
                """
        )

        @Option(name: .long, help: "Directory (or file) of identity objects (GIDC).")
        var identities: String

        @Option(name: .long, help: "Secret for containers: 53-byte SH serialization or 48-byte key‖seed, hex.")
        var secret: [String] = []

        @Option(name: .long, help: "Portable private identity JSON, to open requests addressed to it.")
        var keys: [String] = []

        @Argument(help: "Golix object files, raw or hex.")
        var files: [String]

        func run() async throws {
            let secrets = try secret.map(Self.parseSecret)
            let privateKeys = try keys.map { path in
                try PrivateIdentity(portable: JSONDecoder().decode(PortableIdentity.self, from: ObjectFile.data(path)))
            }
            var verifier = Verifier(identities: try ObjectFile.identities(at: identities))
            let objects = files.map { path in (path, Result { try GolixObject(parsing: ObjectFile.read(path)) }) }
            for case (_, .success(.identity(let identity))) in objects { verifier.add(identity) }

            var failures = 0
            for (path, parsed) in objects {
                do {
                    let object = try parsed.get()
                    try verifier.verify(object)
                    var notes = [String]()
                    switch object {
                    case .container(let container) where !secrets.isEmpty:
                        notes.append("plaintext: \(try Self.decrypt(container, secrets).hexString)")
                    case .request(let request):
                        if let recipient = privateKeys.first(where: { $0.ghid == request.recipient }) {
                            let plaintext = try recipient.decrypt(request)
                            try recipient.authenticate(request, from: verifier.identity(plaintext.author))
                            notes.append("opened: \(plaintext.payload) from \(plaintext.author.base64)")
                        } else {
                            notes.append("MAC not checked (no --keys for the recipient)")
                        }
                    default:
                        break
                    }
                    print("\(path): OK \(ObjectDescription(object).headline)")
                    for note in notes { print("  \(note)") }
                } catch {
                    failures += 1
                    print("\(path): FAILED: \(error)")
                }
            }
            print("\(objects.count - failures) of \(objects.count) verified")
            if failures > 0 { throw ExitCode.failure }
        }

        static func parseSecret(_ text: String) throws -> Secret {
            guard let raw = [UInt8](hexString: text) else { throw ValidationError("--secret is not hex: \(text)") }
            switch raw.count {
            case Secret.serializedLength: return try Secret(parsing: raw)
            case 48: return try Secret(cipherSuite: .suite1, key: Array(raw[0..<32]), seed: Array(raw[32...]))
            default: throw ValidationError("--secret must be 53 (SH) or 48 (key‖seed) bytes, not \(raw.count)")
            }
        }

        /// CTR has no integrity, so a secret "fits" when the plaintext is what Hypergolix writes or when
        /// only one secret was given.
        static func decrypt(_ container: Container, _ secrets: [Secret]) throws -> [UInt8] {
            let candidates = try secrets.map { try container.plaintext(using: $0) }
            return candidates.first { $0.starts(with: Array("hgxd".utf8)) } ?? candidates[0]
        }
    }
}
