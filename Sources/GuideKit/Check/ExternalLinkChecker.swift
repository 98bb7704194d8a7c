import CHTTP
import Foundation

/// `guide check --external`: asks every http(s) link's server whether the page is there.
///
/// Requests run concurrently, at most `perHost` at a time to one host and `total` in all;
/// each has a timeout and one retry; redirects are followed and reported. They go through
/// the system's libcurl, loaded only when a link is checked. Good answers are
/// cached for a day in `cacheFile`, so a CI run does not ask again for every link.
public struct ExternalLinkChecker: Sendable {
    public var timeout: TimeInterval = 10
    public var perHost = 2
    public var total = 8
    public var cacheFile: URL?
    public var cacheLifetime: TimeInterval = 86_400
    /// Whether links to this computer and to private networks are checked too. Off by
    /// default, so that a chapter in a pull request cannot make CI probe its own network.
    public var allowPrivate = false

    public init(cacheFile: URL?, timeout: TimeInterval = 10) {
        self.cacheFile = cacheFile
        self.timeout = timeout
    }

    /// What a server said about one URL.
    public struct Answer: Codable, Sendable, Equatable {
        /// The HTTP status, or nil when no answer came (no such host, refused, timed out).
        public var status: Int?
        /// Where redirects ended, when that is not the URL asked for.
        public var finalURL: String?
        public var problem: String?
        public var checkedAt: Double
    }

    /// Checks every distinct URL and reports broken links and redirects at each place they are written.
    public func check(_ links: [ExternalLink], now: Date = Date()) async -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var links = links
        if !allowPrivate {
            let hosts = Set(links.compactMap { URL(string: $0.url)?.host })
            let privateHosts = Set(hosts.filter(Self.isPrivate))
            for link in links where URL(string: link.url)?.host.map(privateHosts.contains) == true {
                diagnostics.append(.warning(.externalLinkSkipped, at: link.location,
                                            "\(link.url) points to this computer or a private network, so it was not checked",
                                            suggestion: "use a public address, or check it with --allow-private"))
            }
            links.removeAll { URL(string: $0.url)?.host.map(privateHosts.contains) == true }
        }
        var cache = loadCache()
        let fresh = cache.filter { now.timeIntervalSince1970 - $0.value.checkedAt < cacheLifetime && $0.value.isOK }
        let urls = Set(links.map(\.url)).subtracting(fresh.keys).sorted()
        let answers = await fetchAll(urls, now: now)
        for (url, answer) in answers { cache[url] = answer }
        saveCache(cache.filter { now.timeIntervalSince1970 - $0.value.checkedAt < cacheLifetime && $0.value.isOK })

        for link in links {
            guard let answer = cache[link.url] else { continue }
            if !answer.isOK {
                let what = answer.status.map { "the server answered \($0) \(Self.reasonPhrase($0))" }
                    ?? answer.problem ?? "no answer"
                diagnostics.append(.error(.brokenExternalLink, at: link.location, "\(link.url) is broken: \(what)"))
            } else if let final = answer.finalURL {
                diagnostics.append(.warning(.externalRedirect, at: link.location, "\(link.url) redirects to \(final)",
                                            suggestion: "link to \(final) directly"))
            }
        }
        return diagnostics
    }

    func fetchAll(_ urls: [String], now: Date) async -> [String: Answer] {
        let byHost = Dictionary(grouping: urls) { URL(string: $0)?.host?.lowercased() ?? "" }
        let hosts = byHost.keys.sorted()
        let hostsAtOnce = max(1, total / max(1, perHost))
        var answers: [String: Answer] = [:]
        await withTaskGroup(of: [String: Answer].self) { group in
            var next = 0
            func startHost() {
                guard next < hosts.count else { return }
                let host = hosts[next]
                next += 1
                let hostURLs = byHost[host] ?? []
                group.addTask { await self.fetchHost(hostURLs, now: now) }
            }
            for _ in 0..<hostsAtOnce { startHost() }
            for await result in group {
                answers.merge(result) { a, _ in a }
                startHost()
            }
        }
        return answers
    }

    /// One host's URLs, at most `perHost` at a time.
    func fetchHost(_ urls: [String], now: Date) async -> [String: Answer] {
        var answers: [String: Answer] = [:]
        await withTaskGroup(of: (String, Answer).self) { group in
            var next = 0
            func start() {
                guard next < urls.count else { return }
                let url = urls[next]
                next += 1
                group.addTask { (url, await self.fetch(url, now: now)) }
            }
            for _ in 0..<perHost { start() }
            for await (url, answer) in group {
                answers[url] = answer
                start()
            }
        }
        return answers
    }

    /// HEAD, then GET when the server does not do HEAD; one retry after a failure or a 5xx.
    func fetch(_ string: String, now: Date) async -> Answer {
        guard let url = URL(string: string), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
            return Answer(status: nil, finalURL: nil, problem: "not a valid address", checkedAt: now.timeIntervalSince1970)
        }
        var answer = Answer(status: nil, finalURL: nil, problem: nil, checkedAt: now.timeIntervalSince1970)
        for attempt in 0..<2 {
            for head in [true, false] {
                let reply = await Self.request(string, head: head, timeout: timeout)
                if reply.status > 0 {
                    answer.status = reply.status
                    answer.problem = nil
                    answer.finalURL = reply.finalURL.isEmpty || reply.finalURL == string ? nil : reply.finalURL
                    if head, [403, 405, 501].contains(reply.status) { continue }
                } else {
                    answer.status = nil
                    answer.finalURL = nil
                    answer.problem = reply.timedOut ? "no answer within \(Int(timeout)) seconds" : "could not connect (\(reply.problem))"
                }
                break
            }
            if let status = answer.status, status < 500, status != 429 { break }
            if attempt == 0 { try? await Task.sleep(nanoseconds: 200_000_000) }
        }
        return answer
    }

    /// One request's outcome, as libcurl gave it.
    struct Reply: Sendable {
        var status: Int
        var timedOut: Bool
        var finalURL: String
        var problem: String
    }

    /// One blocking libcurl request, on a thread of its own, so that waiting on slow servers
    /// never holds the few threads Swift's tasks run on.
    static func request(_ url: String, head: Bool, timeout: TimeInterval) async -> Reply {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var answer = guide_http_answer()
                _ = guide_http_request(url, head ? 1 : 0, max(1, Int(timeout.rounded(.up))), "guide-link-checker", &answer)
                let finalURL = withUnsafeBytes(of: answer.final_url) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                let problem = withUnsafeBytes(of: answer.problem) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                continuation.resume(returning: Reply(status: answer.status, timedOut: answer.timed_out != 0, finalURL: finalURL, problem: problem))
            }
            thread.start()
        }
    }

    /// The standard words for an HTTP status (RFC 9110 and its companions), as a message shows them.
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 402: return "Payment Required"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 407: return "Proxy Authentication Required"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 416: return "Range Not Satisfiable"
        case 417: return "Expectation Failed"
        case 418: return "I'm a teapot"
        case 421: return "Misdirected Request"
        case 422: return "Unprocessable Content"
        case 423: return "Locked"
        case 424: return "Failed Dependency"
        case 425: return "Too Early"
        case 426: return "Upgrade Required"
        case 428: return "Precondition Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 451: return "Unavailable For Legal Reasons"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        case 506: return "Variant Also Negotiates"
        case 507: return "Insufficient Storage"
        case 508: return "Loop Detected"
        case 510: return "Not Extended"
        case 511: return "Network Authentication Required"
        case 300..<400: return "Redirection"
        case 400..<500: return "Client Error"
        case 500..<600: return "Server Error"
        default: return "Unknown Status"
        }
    }

    /// Whether a host is, or resolves to, a loopback, link-local, private or unspecified
    /// address (IPv4 or IPv6). A name that does not resolve is left to the request to report.
    static func isPrivate(_ host: String) -> Bool {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if name.lowercased() == "localhost" || name.lowercased().hasSuffix(".localhost") { return true }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0 else { return false }
        defer { freeaddrinfo(result) }
        var node = result
        while let info = node?.pointee {
            if info.ai_family == AF_INET, let address = info.ai_addr {
                let ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
                let a = ip >> 24, b = (ip >> 16) & 0xFF
                if a == 127 || a == 10 || a == 0 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168)
                    || (a == 169 && b == 254) || (a == 100 && (64...127).contains(b)) {
                    return true
                }
            } else if info.ai_family == AF_INET6, let address = info.ai_addr {
                let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                }
                let loopbackOrAny = bytes.dropLast().allSatisfy { $0 == 0 } && (bytes.last == 1 || bytes.last == 0)
                let uniqueLocal = bytes[0] & 0xFE == 0xFC
                let linkLocal = bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
                let mappedV4 = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
                if loopbackOrAny || uniqueLocal || linkLocal || mappedV4 && isPrivate(bytes[12...].map(String.init).joined(separator: ".")) {
                    return true
                }
            }
            node = info.ai_next
        }
        return false
    }

    func loadCache() -> [String: Answer] {
        guard let cacheFile, let data = try? Data(contentsOf: cacheFile) else { return [:] }
        return (try? JSONDecoder().decode([String: Answer].self, from: data)) ?? [:]
    }

    func saveCache(_ cache: [String: Answer]) {
        guard let cacheFile else { return }
        try? FileManager.default.createDirectory(at: cacheFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try? encoder.encode(cache).write(to: cacheFile, options: .atomic)
    }
}

extension ExternalLinkChecker.Answer {
    /// A 2xx or 3xx answer. Only these are cached; a broken link is asked about again next time.
    var isOK: Bool { status.map { (200..<400).contains($0) } ?? false }
}
