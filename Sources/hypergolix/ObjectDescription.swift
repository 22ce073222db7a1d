import Golix

/// The human-readable dump of `golix inspect`.
struct ObjectDescription {
    let object: GolixObject

    init(_ object: GolixObject) {
        self.object = object
    }

    var headline: String {
        "\(object.kind.rawValue) (\(object.kind.noun)), \(object.cipherSuite), \(object.serialized().count) bytes"
    }

    var text: String {
        var lines = [headline]
        func field(_ name: String, _ value: String) {
            lines.append("  " + (name + ":").padding(toLength: 11, withPad: " ", startingAt: 0) + value)
        }
        field("ghid", object.ghid.base64)
        switch object {
        case .identity(let identity):
            field("keys", "signing \(identity.signingKey.count) B, encryption \(identity.encryptionKey.count) B, "
                + "exchange \(identity.exchangeKey.count) B")
        case .container(let container):
            field("author", container.author.base64)
            field("payload", "\(container.payload.count) bytes (encrypted)")
            field("signature", "\(container.signature.count) bytes")
        case .staticBinding(let binding):
            field("binder", binding.binder.base64)
            field("target", binding.target.base64)
        case .dynamicBinding(let binding):
            field("binder", binding.binder.base64)
            field("dynamic", binding.dynamicGhid.base64)
            field("counter", String(binding.counter))
            field("targets", "\(binding.targetVector.count) (newest first)")
            for (index, target) in binding.targetVector.enumerated() {
                lines.append("    [\(index)] \(target.base64)")
            }
        case .debinding(let debinding):
            field("debinder", debinding.debinder.base64)
            field("target", debinding.target.base64)
        case .request(let request):
            field("recipient", request.recipient.base64)
            field("payload", "\(request.payload.count) bytes (sealed)")
        }
        return lines.joined(separator: "\n")
    }
}

extension GolixObject.Kind {
    var noun: String {
        switch self {
        case .identity: return "identity"
        case .container: return "container"
        case .staticBinding: return "static binding"
        case .dynamicBinding: return "dynamic binding frame"
        case .debinding: return "debinding"
        case .request: return "request"
        }
    }
}
