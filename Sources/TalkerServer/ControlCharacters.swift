/// Control characters other than tab have no place in a chat line: they would let one client
/// move the cursor, clear the screen or forge lines on everyone else's terminal.
enum ControlCharacters {
    static func occur(in text: String) -> Bool {
        text.unicodeScalars.contains { $0 != "\t" && $0.properties.generalCategory == .control }
    }
}
