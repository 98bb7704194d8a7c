import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `guide check --external`: asks every http(s) link's server whether the page is there.
///
/// Requests run concurrently, at most `perHost` at a time to one host and `total` in all;
/// each has a timeout and one retry; redirects are followed and reported. Good answers are
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
                let what = answer.status.map { "the server answered \($0) \(HTTPURLResponse.localizedString(forStatusCode: $0))" }
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
        let session = URLSession(configuration: {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            configuration.timeoutIntervalForResource = timeout * 2
            configuration.httpMaximumConnectionsPerHost = perHost
            return configuration
        }())
        defer { session.finishTasksAndInvalidate() }
        let hostsAtOnce = max(1, total / max(1, perHost))
        var answers: [String: Answer] = [:]
        await withTaskGroup(of: [String: Answer].self) { group in
            var next = 0
            func startHost() {
                guard next < hosts.count else { return }
                let host = hosts[next]
                next += 1
                let hostURLs = byHost[host] ?? []
                group.addTask { await self.fetchHost(hostURLs, session: session, now: now) }
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
    func fetchHost(_ urls: [String], session: URLSession, now: Date) async -> [String: Answer] {
        var answers: [String: Answer] = [:]
        await withTaskGroup(of: (String, Answer).self) { group in
            var next = 0
            func start() {
                guard next < urls.count else { return }
                let url = urls[next]
                next += 1
                group.addTask { (url, await self.fetch(url, session: session, now: now)) }
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
    func fetch(_ string: String, session: URLSession, now: Date) async -> Answer {
        guard let url = URL(string: string) else {
            return Answer(status: nil, finalURL: nil, problem: "not a valid address", checkedAt: now.timeIntervalSince1970)
        }
        var answer = Answer(status: nil, finalURL: nil, problem: nil, checkedAt: now.timeIntervalSince1970)
        for attempt in 0..<2 {
            for method in ["HEAD", "GET"] {
                var request = URLRequest(url: url, timeoutInterval: timeout)
                request.httpMethod = method
                request.setValue("guide-link-checker", forHTTPHeaderField: "User-Agent")
                do {
                    let (_, response) = try await session.data(for: request)
                    let http = response as? HTTPURLResponse
                    answer.status = http?.statusCode
                    answer.problem = nil
                    let final = response.url?.absoluteString
                    answer.finalURL = final != nil && final != string ? final : nil
                    if method == "HEAD", let status = answer.status, [403, 405, 501].contains(status) { continue }
                } catch {
                    answer.status = nil
                    answer.problem = (error as? URLError)?.code == .timedOut ? "no answer within \(Int(timeout)) seconds" : "could not connect (\(error.localizedDescription))"
                }
                break
            }
            if let status = answer.status, status < 500, status != 429 { break }
            if attempt == 0 { try? await Task.sleep(nanoseconds: 200_000_000) }
        }
        return answer
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
