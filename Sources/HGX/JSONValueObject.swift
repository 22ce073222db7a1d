extension JSONValue {
    /// A JSON object with its keys in insertion order, like a Python dict: setting an existing key keeps its
    /// position, removing one closes the gap. Equality and hashing ignore the order, as dict equality does.
    public struct Object: Hashable, Sendable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
        public private(set) var keys: [String] = []
        private var values: [String: JSONValue] = [:]

        public init() {}

        public init(dictionaryLiteral elements: (String, JSONValue)...) {
            for (key, value) in elements { self[key] = value }
        }

        /// Builds an object from pairs in order; a repeated key keeps its first position and its last value,
        /// as `json.loads` does.
        public init(_ pairs: some Sequence<(String, JSONValue)>) {
            for (key, value) in pairs { self[key] = value }
        }

        public subscript(key: String) -> JSONValue? {
            get { values[key] }
            set {
                if let newValue {
                    if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
                } else if values.removeValue(forKey: key) != nil, let index = keys.firstIndex(of: key) {
                    keys.remove(at: index)
                }
            }
        }

        public var startIndex: Int { keys.startIndex }
        public var endIndex: Int { keys.endIndex }

        /// The member at `position` in insertion order.
        public subscript(position: Int) -> (key: String, value: JSONValue) {
            let key = keys[position]
            // Every key in `keys` is in `values`: the two change together in the key subscript above.
            return (key, values[key] ?? .null)
        }

        public static func == (lhs: Object, rhs: Object) -> Bool {
            lhs.values == rhs.values
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(values)
        }
    }
}
