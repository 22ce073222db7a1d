import HypergolixWire

/// A `Codable` state type that names its own API id, which ``CodableCodec`` then uses by default.
///
/// ```swift
/// struct Reading: Codable, Sendable, HGXIdentifiedState {
///     static let apiID = ApiID.named("com.example.reading.v1")
///     var celsius: Double
/// }
/// ```
public protocol HGXIdentifiedState {
    static var apiID: ApiID { get }
}
