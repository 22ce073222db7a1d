import HypergolixWire

/// How an object's state becomes the bytes the daemon stores, and back: the Swift form of the original's
/// `hgx_pack`/`hgx_unpack` and `_hgx_DEFAULT_API` class members.
///
/// The daemon treats states as opaque bytes; the API id tells other applications which codec wrote them.
/// Conform a type (usually a caseless `enum`) to define your own:
///
/// ```swift
/// enum UTF8TextCodec: HGXCodec {
///     static let defaultAPIID = ApiID.named("com.example.text")
///     static func encode(_ state: String) throws -> [UInt8] { Array(state.utf8) }
///     static func decode(_ bytes: [UInt8]) throws -> String {
///         guard let text = String(validating: bytes, as: UTF8.self) else { throw HGXError.serialization("not UTF-8") }
///         return text
///     }
/// }
/// let note = try await link.new(UTF8TextCodec.self, state: "hello")
/// ```
///
/// Errors thrown by `encode` or `decode` reach the caller as ``HGXError/serialization(_:)``.
public protocol HGXCodec: Sendable {
    associatedtype State: Sendable

    /// The API id new objects get when none is given.
    static var defaultAPIID: ApiID { get }

    static func encode(_ state: State) throws -> [UInt8]
    static func decode(_ bytes: [UInt8]) throws -> State
}

extension HGXCodec {
    static func pack(_ state: State) throws(HGXError) -> [UInt8] {
        do {
            return try encode(state)
        } catch let error as HGXError {
            throw error
        } catch {
            throw .serialization("cannot encode \(State.self): \(error)")
        }
    }

    static func unpack(_ bytes: [UInt8]) throws(HGXError) -> State {
        do {
            return try decode(bytes)
        } catch let error as HGXError {
            throw error
        } catch {
            throw .serialization("cannot decode \(State.self): \(error)")
        }
    }
}
