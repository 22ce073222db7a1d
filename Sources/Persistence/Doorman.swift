import Golix

/// The first stage of ingestion: parse strictly, then authenticate against the signer's identity
/// (HYPERGOLIX-0.1-WIRE §2.3 steps 1–3). Needs only reads, so many objects can be admitted at once.
struct Doorman {
    let identity: (Ghid) throws(PersistenceError) -> Identity?

    func admit(_ bytes: [UInt8]) throws(PersistenceError) -> GolixObject {
        let object: GolixObject
        do {
            object = try GolixObject(parsing: bytes)
        } catch {
            throw PersistenceError(error)
        }
        switch object {
        case .identity:
            break
        case .request(let request):
            // Unknown recipients are the lawyer's to refuse; a known one must be able to open it.
            if let recipient = try identity(request.recipient), recipient.cipherSuite != request.cipherSuite {
                throw .malformed("request sealed with \(request.cipherSuite) to an identity of \(recipient.cipherSuite)")
            }
        case .container, .staticBinding, .dynamicBinding, .debinding:
            guard let signed = object.signed else { break }
            guard let signer = try identity(signed.signer) else { throw .invalidIdentity(signed.signer) }
            do {
                try signer.verify(signed)
            } catch {
                throw PersistenceError(error)
            }
        }
        return object
    }
}
