import Foundation

/// Byte strings (written words), numbered in the order they are added and found again by
/// their bytes: an FNV-1a hash, open addressing, the bytes compared whole. A key met before
/// makes no String and is not hashed by SipHash. Its users keep what they know of each key
/// in arrays by its number. A value, not an object, so that reaching its arrays costs no
/// exclusivity check at run time.
struct ByteKeys {
    /// A key's place in `hashes`, or -1; a power of two long, at most half full, so that a
    /// search always ends at an empty slot.
    private var slots = [Int32](repeating: -1, count: 4096)
    private var hashes: [UInt64] = []
    /// Where each key's bytes start in `bytes`, and after the last one, where they end.
    private var starts: [Int] = [0]
    private var bytes: [UInt8] = []
    /// The most slots the table grows to; past half of it, new keys are not added.
    private let slotLimit: Int

    init(slotLimit: Int = 1 << 24) {
        self.slotLimit = slotLimit
    }

    /// `key`'s number, and whether it was added now (then the caller adds what it knows of
    /// it); nil for a new key when the table is full.
    mutating func number(of key: UnsafeBufferPointer<UInt8>) -> (number: Int, added: Bool)? {
        let hash = HardWords.hash(bytes: key)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] >= 0 {
            let number = Int(slots[slot])
            if hashes[number] == hash, starts[number + 1] - starts[number] == key.count,
               key.isEmpty || bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress! + starts[number], key.baseAddress!, key.count) == 0 }) {
                return (number, false)
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        if (hashes.count + 1) * 2 > slots.count {
            guard slots.count < slotLimit else { return nil }
            grow()
            slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        }
        slots[slot] = Int32(hashes.count)
        hashes.append(hash)
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        return (hashes.count - 1, true)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (number, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(number)
        }
    }
}
