/// The rule for names people pick with `/name`.
///
/// A small alphabet keeps names unambiguous in listings and means a name can never pass for a
/// server notice (`*** …`) or carry a line break into someone else's terminal.
public enum SpeakerName {
    public static func problem(with name: String, maximumLength: Int) -> String? {
        guard !name.isEmpty, name.utf8.count <= maximumLength else {
            return "names are 1 to \(maximumLength) characters"
        }
        guard name.unicodeScalars.allSatisfy(isAllowed) else {
            return "names use only letters, digits, _ - and ."
        }
        return nil
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": return true
        default: return false
        }
    }
}
