import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads the account password: from the terminal without echo when there is one, otherwise one line of
/// standard input per prompt (how services and scripts pass it).
enum Password {
    struct Mismatch: Error, CustomStringConvertible {
        var description: String { "the passwords do not match" }
    }

    static func read(confirm: Bool) throws -> String {
        let first = try prompt("Hypergolix password: ")
        guard !first.isEmpty else { throw CommandFailure("the password cannot be empty") }
        if confirm {
            let second = try prompt("Again, to confirm: ")
            guard first == second else { throw Mismatch() }
        }
        return first
    }

    private static func prompt(_ text: String) throws -> String {
        if isatty(0) != 0, let terminal = fopen("/dev/tty", "r+") {
            defer { fclose(terminal) }
            let fd = fileno(terminal)
            fputs(text, terminal)
            fflush(terminal)
            var saved = termios()
            tcgetattr(fd, &saved)
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSANOW, &silent)
            defer {
                tcsetattr(fd, TCSANOW, &saved)
                fputs("\n", terminal)
            }
            return line(from: terminal) ?? ""
        }
        guard let line = Swift.readLine(strippingNewline: true) else {
            throw CommandFailure("no password given: there is no terminal and standard input ended")
        }
        return line
    }

    private static func line(from file: UnsafeMutablePointer<FILE>) -> String? {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        let count = getline(&buffer, &capacity, file)
        guard count >= 0, let buffer else { return nil }
        let bytes = UnsafeBufferPointer(start: buffer, count: count).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
