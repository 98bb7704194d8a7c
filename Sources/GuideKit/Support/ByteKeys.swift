import Foundation

/// Byte strings (written words), numbered in the order they are added and found again by
/// their bytes: open addressing, a short key hashed and compared as one word, a long one
/// by an FNV-1a hash and its bytes. A key met before makes no String and is not hashed by
/// SipHash. Its users keep what they know of each key in arrays by its number. A value,
/// not an object, so that reaching its arrays costs no exclusivity check at run time.
struct ByteKeys {
    /// A key's place in `tags`, or -1; a power of two long, at most half full, so that a
    /// search always ends at an empty slot.
    private var slots = [Int32](repeating: -1, count: 4096)
    /// Per key, by number, what tells it apart (`tag`): a word of seven bytes or fewer is
    /// found from its slot and its tag alone, without its bytes (most words are short, and
    /// each array met is a likely cache miss: the tables of a large guide's words do not
    /// fit in the nearest caches).
    private var tags: [UInt64] = []
    /// Where each key's bytes start in `bytes`, and after the last one, where they end.
    private var starts: [Int] = [0]
    private var bytes: [UInt8] = []
    /// The most slots the table grows to; past half of it, new keys are not added.
    private let slotLimit: Int

    init(slotLimit: Int = 1 << 24) {
        self.slotLimit = slotLimit
    }

    /// Where a key's search starts (`hash`) and what tells it apart (`tag`). A key of at most
    /// seven bytes: its tag is its bytes and its length, which is the key itself, and its
    /// hash that word mixed (splitmix64's finalizer), so its bytes are read once. A longer
    /// key: its FNV-1a hash, and that hash as its tag, marked as a long key's (length byte
    /// 0xFF); its bytes are then compared whole.
    @inline(__always)
    static func hashAndTag(_ key: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, tag: UInt64) {
        guard key.count <= 7 else {
            let hash = HardWords.hash(bytes: key)
            return (hash, hash & 0x00FF_FFFF_FFFF_FFFF | 0xFF << 56)
        }
        var tag = UInt64(key.count) << 56
        for k in 0..<key.count { tag |= UInt64(key[k]) << UInt64(8 * k) }
        var mixed = (tag ^ tag >> 30) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ mixed >> 27) &* 0x94D0_49BB_1331_11EB
        return (mixed ^ mixed >> 31, tag)
    }

    /// `key`'s number, and whether it was added now (then the caller adds what it knows of
    /// it); nil for a new key when the table is full.
    mutating func number(of key: UnsafeBufferPointer<UInt8>) -> (number: Int, added: Bool)? {
        numberInline(of: key)
    }

    /// The same, made part of its caller: the search index's count looks up every word of
    /// the guide, and the call was a sixth of that work. (Inlined into the reading level's
    /// token loop, it made that loop slower.)
    @inline(__always)
    mutating func numberInline(of key: UnsafeBufferPointer<UInt8>) -> (number: Int, added: Bool)? {
        let (hash, tag) = Self.hashAndTag(key)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] >= 0 {
            let number = Int(slots[slot])
            if tags[number] == tag, key.count <= 7 || sameBytes(number, key) { return (number, false) }
            slot = (slot + 1) & (slots.count - 1)
        }
        if (tags.count + 1) * 2 > slots.count {
            guard slots.count < slotLimit else { return nil }
            grow()
            slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        }
        slots[slot] = Int32(tags.count)
        tags.append(tag)
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        return (tags.count - 1, true)
    }

    /// `key`'s number, if it has one (nothing is added).
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let (hash, tag) = Self.hashAndTag(key)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] >= 0 {
            let number = Int(slots[slot])
            if tags[number] == tag, key.count <= 7 || sameBytes(number, key) { return number }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    /// Whether key `number`'s bytes are `key`.
    private func sameBytes(_ number: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        starts[number + 1] - starts[number] == key.count
            && bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + starts[number], key.baseAddress!, key.count) == 0 }
    }

    /// Twice the slots; each key's slot found again from its bytes.
    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        bytes.withUnsafeBufferPointer { all in
            for number in tags.indices {
                let hash = Self.hashAndTag(UnsafeBufferPointer(rebasing: all[starts[number]..<starts[number + 1]])).hash
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(number)
            }
        }
    }
}
