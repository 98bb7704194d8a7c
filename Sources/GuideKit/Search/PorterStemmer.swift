/// The Porter stemming algorithm, as Martin Porter's own reference implementations have it
/// ("connection", "connected", "connecting" → "connect"). `Templates/static/search.js`
/// has the same algorithm for the browser; both are tested against the same word list.
///
/// Works on lower-case ASCII letters; words of two letters or fewer are left as they are.
public enum PorterStemmer {
    public static func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        guard bytes.count > 2, bytes.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return word }
        var stemmer = Stemmer(b: bytes)
        stemmer.run()
        bytes = Array(stemmer.b[0...stemmer.k])
        return String(decoding: bytes, as: UTF8.self)
    }

    private struct Stemmer {
        var b: [UInt8]
        var k: Int
        var j = 0

        init(b: [UInt8]) {
            self.b = b
            self.k = b.count - 1
        }

        func isConsonant(_ i: Int) -> Bool {
            switch b[i] {
            case 97, 101, 105, 111, 117: return false // a e i o u
            case 121: return i == 0 ? true : !isConsonant(i - 1) // y
            default: return true
            }
        }

        /// The number of vowel-consonant sequences in b[0...j].
        func m() -> Int {
            var n = 0
            var i = 0
            while true {
                if i > j { return n }
                if !isConsonant(i) { break }
                i += 1
            }
            i += 1
            while true {
                while true {
                    if i > j { return n }
                    if isConsonant(i) { break }
                    i += 1
                }
                i += 1
                n += 1
                while true {
                    if i > j { return n }
                    if !isConsonant(i) { break }
                    i += 1
                }
                i += 1
            }
        }

        func vowelInStem() -> Bool {
            for i in 0...max(j, 0) where i <= j && !isConsonant(i) { return true }
            return false
        }

        func doubleConsonant(_ i: Int) -> Bool {
            i >= 1 && b[i] == b[i - 1] && isConsonant(i)
        }

        /// consonant-vowel-consonant ending at i, the last not w, x or y.
        func cvc(_ i: Int) -> Bool {
            guard i >= 2, isConsonant(i), !isConsonant(i - 1), isConsonant(i - 2) else { return false }
            return b[i] != 119 && b[i] != 120 && b[i] != 121
        }

        // Suffixes are static strings, compared byte by byte without allocating.
        mutating func ends(_ s: StaticString) -> Bool {
            let length = s.utf8CodeUnitCount
            guard length <= k + 1 else { return false }
            let suffix = s.utf8Start
            for n in 0..<length where b[k - length + 1 + n] != suffix[n] { return false }
            j = k - length
            return true
        }

        mutating func setTo(_ s: StaticString) {
            let length = s.utf8CodeUnitCount
            let replacement = UnsafeBufferPointer(start: s.utf8Start, count: length)
            b.replaceSubrange((j + 1)..<(k + 1), with: replacement)
            k = j + length
        }

        mutating func r(_ s: StaticString) {
            if m() > 0 { setTo(s) }
        }

        mutating func run() {
            step1ab()
            if k > 0 {
                step1c(); step2(); step3(); step4(); step5()
            }
        }

        mutating func step1ab() {
            if b[k] == 115 { // s
                if ends("sses") { k -= 2 }
                else if ends("ies") { setTo("i") }
                else if b[k - 1] != 115 { k -= 1 }
            }
            if ends("eed") {
                if m() > 0 { k -= 1 }
            } else if (ends("ed") || ends("ing")) && vowelInStem() {
                k = j
                if ends("at") { setTo("ate") }
                else if ends("bl") { setTo("ble") }
                else if ends("iz") { setTo("ize") }
                else if doubleConsonant(k) {
                    k -= 1
                    let ch = b[k]
                    if ch == 108 || ch == 115 || ch == 122 { k += 1 } // l s z
                } else {
                    j = k
                    if m() == 1 && cvc(k) { setTo("e") }
                }
            }
        }

        mutating func step1c() {
            if ends("y") && vowelInStem() { b[k] = 105 } // i
        }

        mutating func step2() {
            guard k >= 1 else { return }
            switch b[k - 1] {
            case 97: if ends("ational") { r("ate") } else if ends("tional") { r("tion") }
            case 99: if ends("enci") { r("ence") } else if ends("anci") { r("ance") }
            case 101: if ends("izer") { r("ize") }
            case 108:
                if ends("bli") { r("ble") } else if ends("alli") { r("al") } else if ends("entli") { r("ent") }
                else if ends("eli") { r("e") } else if ends("ousli") { r("ous") }
            case 111: if ends("ization") { r("ize") } else if ends("ation") { r("ate") } else if ends("ator") { r("ate") }
            case 115:
                if ends("alism") { r("al") } else if ends("iveness") { r("ive") } else if ends("fulness") { r("ful") }
                else if ends("ousness") { r("ous") }
            case 116: if ends("aliti") { r("al") } else if ends("iviti") { r("ive") } else if ends("biliti") { r("ble") }
            case 103: if ends("logi") { r("log") }
            default: break
            }
        }

        mutating func step3() {
            switch b[k] {
            case 101: if ends("icate") { r("ic") } else if ends("ative") { r("") } else if ends("alize") { r("al") }
            case 105: if ends("iciti") { r("ic") }
            case 108: if ends("ical") { r("ic") } else if ends("ful") { r("") }
            case 115: if ends("ness") { r("") }
            default: break
            }
        }

        mutating func step4() {
            guard k >= 1 else { return }
            switch b[k - 1] {
            case 97: guard ends("al") else { return }
            case 99: guard ends("ance") || ends("ence") else { return }
            case 101: guard ends("er") else { return }
            case 105: guard ends("ic") else { return }
            case 108: guard ends("able") || ends("ible") else { return }
            case 110: guard ends("ant") || ends("ement") || ends("ment") || ends("ent") else { return }
            case 111:
                if ends("ion") && j >= 0 && (b[j] == 115 || b[j] == 116) { break }
                guard ends("ou") else { return }
            case 115: guard ends("ism") else { return }
            case 116: guard ends("ate") || ends("iti") else { return }
            case 117: guard ends("ous") else { return }
            case 118: guard ends("ive") else { return }
            case 122: guard ends("ize") else { return }
            default: return
            }
            if m() > 1 { k = j }
        }

        mutating func step5() {
            j = k
            if b[k] == 101 { // e
                let a = m()
                if a > 1 || (a == 1 && !cvc(k - 1)) { k -= 1 }
            }
            if b[k] == 108 && doubleConsonant(k) && m() > 1 { k -= 1 } // l
        }
    }
}
