import Foundation
import Golix

/// Reads object files the way the reference verifier does: raw bytes, or the same bytes as hex text.
enum ObjectFile {
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    static func data(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Unreadable(description: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    static func read(_ path: String) throws -> [UInt8] {
        decode([UInt8](try data(path)))
    }

    static func decode(_ raw: [UInt8]) -> [UInt8] {
        let text = raw.filter { !$0.isWhitespace }
        if !text.isEmpty, text.count % 2 == 0, text.allSatisfy(\.isHexDigit),
            let decoded = [UInt8](hexString: String(decoding: text, as: UTF8.self))
        {
            return decoded
        }
        return raw
    }

    /// Every GIDC in a directory (or the one file given); other files are skipped.
    static func identities(at path: String) throws -> [Identity] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Unreadable(description: "no such identity directory or file: \(path)")
        }
        let files: [String]
        if isDirectory.boolValue {
            files = try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { "\(path)/\($0)" }
        } else {
            files = [path]
        }
        return files.compactMap { file in
            guard let bytes = try? read(file) else { return nil }
            return try? Identity(parsing: bytes)
        }
    }
}

extension UInt8 {
    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
