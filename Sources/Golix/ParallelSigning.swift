import Crypto
import Dispatch

/// Signs several digests on as many threads at once: for suite 1, whose RSA-4096 signatures cost
/// milliseconds each, this halves the time to make an update on a two-core machine.
enum ParallelSigning {
    static func sign(_ digests: [SHA512Digest], with keys: PrivateKeys) throws(GolixError) -> [[UInt8]] {
        let results = UnsafeMutableBufferPointer<Result<[UInt8], GolixError>>.allocate(capacity: digests.count)
        results.initialize(repeating: .failure(.cryptoFailure("not signed")))
        defer { results.deallocate() }
        let slots = Slots(results)
        DispatchQueue.concurrentPerform(iterations: digests.count) { index in
            // Each iteration writes only its own slot.
            slots.buffer[index] = Result { () throws(GolixError) -> [UInt8] in try keys.sign(digests[index]) }
        }
        return try results.map { result throws(GolixError) in try result.get() }
    }

    private final class Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Result<[UInt8], GolixError>>
        init(_ buffer: UnsafeMutableBufferPointer<Result<[UInt8], GolixError>>) { self.buffer = buffer }
    }
}
