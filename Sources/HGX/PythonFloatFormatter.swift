/// Formats a `Double` as Python's `json.dumps` does, which is `float.__repr__` for finite values.
///
/// Both Python and Swift print the shortest digit string that reads back as the same double, so the digits
/// are taken from Swift's `description` and only the layout is Python's: plain notation with at least one
/// digit after the point when the decimal exponent is between -4 and 16, otherwise `d.ddde±XX` (at least two
/// exponent digits, no `.0` on a lone digit).
enum PythonFloatFormatter {
    static func jsonText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0.0" }
        let (digits, point) = shortestDigits(value.magnitude)
        return sign + layout(digits: digits, point: point)
    }

    /// The significant digits (no leading or trailing zeros) and the position of the decimal point relative
    /// to them: the value is `0.<digits> × 10^point`.
    static func shortestDigits(_ magnitude: Double) -> (digits: [UInt8], point: Int) {
        let text = magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<marker]
            exponent = Int(text[text.index(after: marker)...]) ?? 0
        }
        var digits: [UInt8] = []
        var integerDigits = 0
        var seenPoint = false
        for character in mantissa.utf8 {
            if character == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(character)
                if !seenPoint { integerDigits += 1 }
            }
        }
        var point = integerDigits + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, point)
    }

    /// CPython's `format_float_short` in `repr` mode (`Py_DTSF_ADD_DOT_0`).
    static func layout(digits: [UInt8], point: Int) -> String {
        let text = String(decoding: digits, as: UTF8.self)
        if point > -4 && point <= 16 {
            if point <= 0 { return "0." + String(repeating: "0", count: -point) + text }
            if point >= digits.count { return text + String(repeating: "0", count: point - digits.count) + ".0" }
            let split = text.index(text.startIndex, offsetBy: point)
            return text[..<split] + "." + text[split...]
        }
        let exponent = point - 1
        let mantissa = digits.count > 1 ? String(text.prefix(1)) + "." + text.dropFirst() : text
        let magnitude = String(abs(exponent))
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }
}
