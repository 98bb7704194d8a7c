import Foundation

/// The web server of `guide serve`: the site folder over HTTP/1.1 on 127.0.0.1, for the
/// author's own browser, safe to leave running.
///
/// Why not FlyingFox's HTTP layer, which `serve` used first: it decodes the path twice (so
/// `%252f` became a `/` inside one part), reads request lines and headers with no size cap
/// (quadratic on a long line) and no time limit, loads each file whole, and its accept
/// loop ends for good when file descriptors run out. This is the small part we need, on
/// plain sockets: one request per connection, a thread each (at most `maxConnections`).
public final class SiteServer: @unchecked Sendable {
    /// Longest request line (method, path, version) and longest header block, in bytes.
    public static let maxRequestLine = 8 * 1024
    public static let maxHeaders = 64 * 1024
    /// Seconds a client has to send its whole request head.
    public var headTimeout: Double = 10
    /// Connections served at once; more wait in the listen queue.
    public static let maxConnections = 256

    let root: String
    let log: @Sendable (String) -> Void
    private var listener: Int32 = -1
    /// How a connection is accepted: `accept(2)`, or a stand-in for tests that makes the
    /// system refuse (out of descriptors) without exhausting the test run's own.
    var acceptConnection: @Sendable (Int32) -> Int32 = { accept($0, nil, nil) }
    public private(set) var port: UInt16 = 0
    private let slots: DispatchSemaphore
    /// Live reload, for `guide serve`: pages get its script, `/__guide/events` its stream.
    public var liveReload: LiveReload?

    /// Serves `root` (the site folder); `log` receives problems worth telling the author.
    public init(root: URL, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.root = root.standardizedFileURL.path
        self.log = log
        slots = DispatchSemaphore(value: Self.maxConnections)
    }

    /// Listens on 127.0.0.1:`port` (0 picks a free one) and serves on a thread of its own.
    /// Throws when the port cannot be had.
    public func start(port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("cannot open a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 128) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            let code = errno
            close(fd)
            throw ServerError("cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(code)))", addressInUse: code == EADDRINUSE)
        }
        listener = fd
        self.port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "guide serve: accept"
        thread.start()
    }

    /// Accepts for ever. When the system refuses (out of file descriptors, of memory), it
    /// says so once and tries again, waiting longer each time: never a silent dead listener.
    private func acceptLoop() {
        var wait = 0.01
        var refused = false
        while true {
            let client = acceptConnection(listener)
            if client < 0 {
                if errno == EINTR { continue }
                if errno == EBADF || errno == EINVAL { return }  // the listener was closed
                if !refused { log("serve: cannot accept a connection (\(String(cString: strerror(errno)))); trying again") }
                refused = true
                Thread.sleep(forTimeInterval: wait)
                wait = min(wait * 2, 1)
                continue
            }
            if refused { log("serve: accepting connections again") }
            refused = false
            wait = 0.01
            slots.wait()
            Thread.detachNewThread { [self] in
                handle(client)
                close(client)
                slots.signal()
            }
        }
    }

    /// Stops listening (connections in progress finish; event streams end).
    public func stop() {
        liveReload?.stop()
        if listener >= 0 { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }
        listener = -1
    }

    // MARK: One request

    func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sendTimeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        switch readHead(client) {
        case let .failure(status):
            respond(client, status: status, body: Data("\(status.code) \(status.reason)\n".utf8), type: "text/plain; charset=utf-8", head: false)
        case let .success(head):
            serve(head, on: client)
        }
    }

    /// An HTTP status this server sends.
    struct Status: Error, Equatable {
        var code: Int
        var reason: String
        static let ok = Status(code: 200, reason: "OK")
        static let badRequest = Status(code: 400, reason: "Bad Request")
        static let notFound = Status(code: 404, reason: "Not Found")
        static let methodNotAllowed = Status(code: 405, reason: "Method Not Allowed")
        static let timeout = Status(code: 408, reason: "Request Timeout")
        static let uriTooLong = Status(code: 414, reason: "URI Too Long")
        static let misdirected = Status(code: 421, reason: "Misdirected Request")
        static let headersTooLarge = Status(code: 431, reason: "Request Header Fields Too Large")
    }

    /// A request's first line and headers.
    struct Head {
        var method: String
        var target: String
        var headers: [(name: String, value: String)]
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
    }

    /// Reads up to the blank line that ends the head, in linear time, within the size caps
    /// and `headTimeout`.
    func readHead(_ client: Int32) -> Result<Head, Status> {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        var chunk = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(headTimeout)
        var lineEnd: Int? = nil
        var scanned = 0
        while true {
            // Look for the end of the request line, then of the head, only in new bytes.
            while scanned + 1 < buffer.count {
                if lineEnd == nil, buffer[scanned] == 0x0D, buffer[scanned + 1] == 0x0A { lineEnd = scanned }
                // Two more bytes are needed to tell whether a blank line starts here.
                guard scanned + 3 < buffer.count else { break }
                if buffer[scanned] == 0x0D, buffer[scanned + 1] == 0x0A, buffer[scanned + 2] == 0x0D, buffer[scanned + 3] == 0x0A {
                    return parseHead(buffer[..<scanned])
                }
                scanned += 1
            }
            if (lineEnd ?? buffer.count) > Self.maxRequestLine { return .failure(.uriTooLong) }
            if let lineEnd, buffer.count - lineEnd > Self.maxHeaders { return .failure(.headersTooLarge) }
            if Date() > deadline { return .failure(.timeout) }
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count == 0 { return .failure(.badRequest) }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return .failure(.badRequest)
            }
            buffer += chunk[0..<count]
        }
    }

    func parseHead(_ bytes: ArraySlice<UInt8>) -> Result<Head, Status> {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let parts = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return .failure(.badRequest) }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { return .failure(.badRequest) }
            headers.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return .success(Head(method: String(parts[0]), target: String(parts[1]), headers: headers))
    }

    func serve(_ head: Head, on client: Int32) {
        guard head.method == "GET" || head.method == "HEAD" else {
            respond(client, status: .methodNotAllowed, body: Data("405 Method Not Allowed\n".utf8), type: "text/plain; charset=utf-8",
                    head: false, extra: ["Allow: GET, HEAD"])
            return
        }
        // Only this computer's names, with our port: a page elsewhere that makes the browser
        // ask another name (DNS rebinding) gets nothing.
        let allowed = ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"]
        guard let host = head.header("host")?.lowercased(), allowed.contains(host) else {
            respond(client, status: .misdirected, body: Data("421 Misdirected Request: this server answers only to 127.0.0.1:\(port)\n".utf8),
                    type: "text/plain; charset=utf-8", head: head.method == "HEAD")
            return
        }
        let isHead = head.method == "HEAD"
        if let live = liveReload {
            let path = head.target.prefix { $0 != "?" && $0 != "#" }
            if path == Self.eventsPath {
                streamEvents(client, live: live)
                return
            }
            if path == Self.scriptPath {
                respond(client, status: .ok, body: Data(live.script.utf8), type: "text/javascript; charset=utf-8", head: isHead)
                return
            }
            // No site yet (the first build failed): a page that waits, and shows why.
            if resolve("/index.html") == nil {
                respond(client, status: Status(code: 503, reason: "Service Unavailable"),
                        body: Data(withLiveReload(live.waitingPage, site: live.siteVersion).utf8), type: "text/html; charset=utf-8", head: isHead)
                return
            }
        }
        guard let file = resolve(head.target) else {
            sendNotFound(client, head: isHead)
            return
        }
        sendFile(client, path: file, status: .ok, head: isHead)
    }

    static let eventsPath = "/__guide/events"
    static let scriptPath = "/__guide/live-reload.js"

    /// A page with the live-reload script before its `</body>`, telling it the number of the
    /// site it came from: a page whose event stream connects only after a rebuild then
    /// still sees that the site changed.
    func withLiveReload(_ html: String, site: Int) -> String {
        let tag = "<script src=\"\(Self.scriptPath)\" data-site=\"\(site)\"></script>\n"
        guard let end = html.range(of: "</body>", options: .backwards) else { return html + tag }
        return html.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: tag)
    }

    /// Server-sent events for as long as the page listens: the state now, each change, and
    /// a comment every 15 s, which finds a page that has gone.
    func streamEvents(_ client: Int32, live: LiveReload) {
        let head = ["HTTP/1.1 200 OK", "Content-Type: text/event-stream", "Cache-Control: no-cache",
                    "X-Content-Type-Options: nosniff", "Connection: keep-alive"].joined(separator: "\r\n") + "\r\n\r\n"
        var (state, generation) = live.current
        guard sendAll(client, Data((head + "retry: 500\n\n" + LiveReload.events(state)).utf8)) else { return }
        while let next = live.wait(after: generation, timeout: 15) {
            if next.generation == generation {
                guard sendAll(client, Data(": still here\n\n".utf8)) else { return }
                continue
            }
            (state, generation) = next
            guard sendAll(client, Data(LiveReload.events(state).utf8)) else { return }
        }
    }

    /// The file a request target names: its path decoded exactly once, part by part; nil for
    /// anything that is not a plain file inside the site folder (after resolving links).
    func resolve(_ target: String) -> String? {
        guard target.hasPrefix("/") else { return nil }
        let path = target.prefix { $0 != "?" && $0 != "#" }
        var parts: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let part = String(raw).removingPercentEncoding,
                  !part.contains("/"), !part.contains("\\"), !part.contains("\0"), !part.hasPrefix(".") else { return nil }
            parts.append(part)
        }
        var candidate = ([root] + parts).joined(separator: "/")
        var info = stat()
        if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { candidate += "/index.html" }
        guard let real = realpath(candidate, nil) else { return nil }
        defer { free(real) }
        let resolved = String(cString: real)
        guard let rootReal = realpath(root, nil) else { return nil }
        defer { free(rootReal) }
        let rootPath = String(cString: rootReal)
        guard resolved.hasPrefix(rootPath + "/"), stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return resolved
    }

    func sendNotFound(_ client: Int32, head: Bool) {
        if let page = resolve("/404.html") {
            sendFile(client, path: page, status: .notFound, head: head)
        } else {
            respond(client, status: .notFound, body: Data("404 Not Found\n".utf8), type: "text/plain; charset=utf-8", head: head)
        }
    }

    /// Sends a file in pieces, never whole in memory.
    func sendFile(_ client: Int32, path: String, status: Status, head: Bool) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            respond(client, status: .notFound, body: Data("404 Not Found\n".utf8), type: "text/plain; charset=utf-8", head: head)
            return
        }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let type = Self.contentType((path as NSString).pathExtension)
        // The site's number is taken before the page is read: a page newer than its number
        // only reloads once more.
        if let live = liveReload, type.hasPrefix("text/html"), case let site = live.siteVersion, let page = FileManager.default.contents(atPath: path) {
            respond(client, status: status, body: Data(withLiveReload(String(decoding: page, as: UTF8.self), site: site).utf8), type: type, head: head)
            return
        }
        guard sendAll(client, Data(headerBlock(status: status, type: type, length: Int(info.st_size)).utf8)), !head else { return }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0, sendAll(client, Data(chunk[0..<count])) else { return }
        }
    }

    func respond(_ client: Int32, status: Status, body: Data, type: String, head: Bool, extra: [String] = []) {
        guard sendAll(client, Data(headerBlock(status: status, type: type, length: body.count, extra: extra).utf8)), !head else { return }
        _ = sendAll(client, body)
    }

    func headerBlock(status: Status, type: String, length: Int, extra: [String] = []) -> String {
        (["HTTP/1.1 \(status.code) \(status.reason)", "Content-Type: \(type)", "Content-Length: \(length)",
          "Cache-Control: no-cache", "X-Content-Type-Options: nosniff", "Connection: close"] + extra)
            .joined(separator: "\r\n") + "\r\n\r\n"
    }

    func sendAll(_ client: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(client, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0, errno == EINTR { continue }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    public static func contentType(_ pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "xml": return "application/xml"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "pdf": return "application/pdf"
        case "txt": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}

/// Why the server could not start.
public struct ServerError: Error, CustomStringConvertible {
    public var description: String
    /// The port is taken by another program.
    public var addressInUse = false
    init(_ description: String, addressInUse: Bool = false) {
        self.description = description
        self.addressInUse = addressInUse
    }
}
