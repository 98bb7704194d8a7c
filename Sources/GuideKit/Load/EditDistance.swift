/// Edit distance with swapped neighbours counted as one edit (`titel` is one from
/// `title`), for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var beforePrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], beforePrevious[j - 2] + 1)
            }
        }
        (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[b.count]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo; never `word` itself.
func closestMatch(to word: String, in candidates: some Sequence<String>) -> String? {
    let lowered = word.lowercased()
    var best: (distance: Int, candidate: String)? = nil
    for candidate in candidates where candidate != word {
        let d = editDistance(lowered, candidate.lowercased())
        // On a tie, a candidate that starts like the word wins (B7 suggests B1 before A7).
        let sameStart = candidate.lowercased().first == lowered.first
        let bestSameStart = best.map { $0.candidate.lowercased().first == lowered.first } ?? false
        if best == nil || d < best!.distance
            || (d == best!.distance && (sameStart && !bestSameStart || sameStart == bestSameStart && candidate < best!.candidate)) {
            best = (d, candidate)
        }
    }
    guard let best else { return nil }
    let limit = max(1, min(3, (max(word.count, best.candidate.count) + 1) / 3))
    return best.distance <= limit ? best.candidate : nil
}
