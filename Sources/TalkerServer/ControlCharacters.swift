/// Control characters other than tab have no place in a chat line: they would let one client
/// move the cursor, clear the screen or forge lines on everyone else's terminal.
enum ControlCharacters {
    /// Whether `text` has a character of Unicode's Cc category other than tab. Cc is exactly
    /// U+0000–U+001F, U+007F and U+0080–U+009F, so the UTF-8 bytes tell, much faster than
    /// looking up each scalar's properties (which showed in the benchmark's profile).
    static func occur(in text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) {
                return true
            }
            previous = byte
        }
        return false
    }
}
