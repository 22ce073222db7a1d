/// A failure to report to the user as one line (ArgumentParser prints it as `Error: …` and exits with 1).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
