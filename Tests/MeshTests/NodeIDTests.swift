import Testing

@testable import Mesh

@Suite struct NodeIDTests {
    @Test func hexRoundTrips() throws {
        let id = try #require(NodeID(high: 0x0123_4567_89ab_cdef, low: 0x42))
        #expect(id.description == "0123456789abcdef0000000000000042")
        #expect(NodeID(hex: id.description) == id)
        #expect(id.shortDescription == "01234567")
    }

    @Test func zeroIsReserved() {
        #expect(NodeID(high: 0, low: 0) == nil)
        #expect(NodeID(hex: String(repeating: "0", count: 32)) == nil)
    }

    @Test(arguments: ["", "xyz", String(repeating: "g", count: 32), String(repeating: "1", count: 33)])
    func badHexIsRejected(_ text: String) {
        #expect(NodeID(hex: text) == nil)
    }

    @Test func randomIdsDiffer() {
        #expect(NodeID.random() != NodeID.random())
    }
}
