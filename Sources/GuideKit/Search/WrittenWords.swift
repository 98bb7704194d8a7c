import Foundation

/// The written words of one chapter, each with its search term's number, how often it was
/// written and its folded form, found by their bytes: nearly every word of a chapter was
/// seen before in it, and finding it this way makes no String and hashes with FNV-1a
/// rather than Swift's seeded SipHash.
struct WrittenWords {
    struct Entry {
        /// The term's number in the chapter, or -1 for a stop word.
        var term: Int
        var count: Int
        var form: String
        fileprivate var hash: UInt64
        fileprivate var start: Int
        fileprivate var length: Int
    }

    private(set) var entries: [Entry] = []
    /// Open addressing: an entry's place in `entries`, or -1; a power of two long.
    private var slots = [Int](repeating: -1, count: 1024)
    /// Every entry's written bytes, one after another.
    private var keys: [UInt8] = []

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = HardWords.fnvBasis
        for byte in bytes { h = (h ^ UInt64(byte)) &* HardWords.fnvPrime }
        return h
    }

    /// The place in `entries` of the word written as `bytes`, counting this writing of it.
    mutating func count(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let index = slots[slot]
            if entries[index].hash == hash, entries[index].length == bytes.count,
               keys.withUnsafeBufferPointer({ keys in memcmp(keys.baseAddress! + entries[index].start, bytes.baseAddress!, bytes.count) == 0 }) {
                entries[index].count += 1
                return index
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds a word not seen before, written once so far.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, term: Int, form: String) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entries.count
        entries.append(Entry(term: term, count: 1, form: form, hash: hash, start: keys.count, length: bytes.count))
        keys.append(contentsOf: bytes)
    }

    private mutating func grow() {
        slots = [Int](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = index
        }
    }
}
