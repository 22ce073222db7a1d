/// What a client's byte stream is cut into: lines, or the reasons a line was refused.
public enum ClientInput: Hashable, Sendable {
    /// A complete line, without its line ending.
    case line(String)
    /// A line longer than the limit; its bytes were discarded up to the next line ending.
    case tooLong
    /// A line that was not valid UTF-8.
    case invalidUTF8
}
