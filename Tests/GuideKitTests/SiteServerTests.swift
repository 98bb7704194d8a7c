import Foundation
import Testing
@testable import GuideKit

/// `guide serve`'s web server, as an attacker on this computer would try it.
@Suite struct SiteServerTests {
    /// A site folder with a page, a big file and a link out, beside a secret file, served.
    final class Served {
        let folder: TemporaryFolder
        let server: SiteServer
        var port: UInt16 { server.port }

        init(headTimeout: Double = 10) throws {
            folder = try TemporaryFolder()
            try folder.write(["Site/index.html": "<p>home</p>", "Site/404.html": "<p>missing</p>", "Site/static/a.css": "p{}",
                              "secret.txt": "the secret"])
            let site = folder.url.appendingPathComponent("Site")
            try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("passwd.txt").path, withDestinationPath: "/etc/passwd")
            try Data(repeating: 65, count: 5_000_000).write(to: site.appendingPathComponent("big.txt"))
            server = SiteServer(root: site)
            server.headTimeout = headTimeout
            try server.start(port: 0)
        }

        deinit {
            server.stop()
            folder.cleanup()
        }

        /// Opens a connection and sends `bytes`.
        func connect(_ bytes: [UInt8] = []) -> Int32 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent <= 0 { break }
                offset += sent
            }
            return fd
        }

        /// The whole answer on a connection, until the server closes it.
        func answer(_ fd: Int32) -> String {
            var data = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                data += chunk[0..<count]
            }
            close(fd)
            return String(decoding: data, as: UTF8.self)
        }

        func get(_ path: String, host: String? = nil) -> String {
            answer(connect(Array("GET \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\n\r\n".utf8)))
        }
    }

    // Proves: pages are served, and the path is decoded exactly once: %252f stays "%2f" inside
    // one part, and no request reaches a file outside the site, through dots or a link.
    @Test func pathsCannotLeaveTheSite() throws {
        let served = try Served()
        #expect(served.get("/").hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(served.get("/static/a.css").hasSuffix("\r\n\r\np{}"))
        for path in ["/static%252f..%252f..%252fsecret.txt", "/static/..%2f..%2fsecret.txt", "/%2e%2e/secret.txt", "/../secret.txt",
                     "/static%5c..%5c..%5csecret.txt", "/index.html%00.css", "/passwd.txt", "/.guide-output"] {
            let answer = served.get(path)
            #expect(answer.hasPrefix("HTTP/1.1 404 Not Found\r\n"), "\(path)")
            #expect(!answer.contains("the secret") && !answer.contains("root:"), "\(path)")
        }
    }

    // Proves: only this computer's names with the server's port are answered (no DNS rebinding).
    @Test func otherHostsAreRefused() throws {
        let served = try Served()
        #expect(served.get("/", host: "evil.example").hasPrefix("HTTP/1.1 421 Misdirected Request\r\n"))
        #expect(served.get("/", host: "127.0.0.1:1").hasPrefix("HTTP/1.1 421"))
        #expect(served.get("/", host: "localhost:\(served.port)").hasPrefix("HTTP/1.1 200"))
        #expect(served.answer(served.connect(Array("GET / HTTP/1.1\r\n\r\n".utf8))).hasPrefix("HTTP/1.1 421"))
    }

    // Proves: a 1 MB request line is answered 414 within a second, and 100 KB of headers 431.
    @Test func oversizedRequestsAreRefusedAtOnce() throws {
        let served = try Served()
        let start = Date()
        let long = served.answer(served.connect(Array(("GET /" + String(repeating: "a", count: 1_000_000) + " HTTP/1.1\r\n").utf8)))
        #expect(long.hasPrefix("HTTP/1.1 414 URI Too Long\r\n"))
        #expect(Date().timeIntervalSince(start) < 1)
        let headers = "GET / HTTP/1.1\r\n" + String(repeating: "X-Filler: " + String(repeating: "b", count: 1000) + "\r\n", count: 100)
        #expect(served.answer(served.connect(Array(headers.utf8))).hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
    }

    // Proves: a client that sends its request slowly does not hold up another, and is itself
    // sent away (408) when its time is up.
    @Test func slowClientsDoNotBlockOthers() throws {
        let served = try Served(headTimeout: 1)
        let slow = served.connect(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(served.port)\r\n".utf8))
        let start = Date()
        #expect(served.get("/").hasPrefix("HTTP/1.1 200"))
        #expect(Date().timeIntervalSince(start) < 0.5)
        #expect(served.answer(slow).hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
    }

    // Proves: a large file arrives whole (it is sent in pieces), and HEAD sends no body.
    @Test func filesAreStreamedWhole() throws {
        let served = try Served()
        let answer = served.get("/big.txt")
        #expect(answer.contains("Content-Length: 5000000\r\n"))
        #expect(answer.hasSuffix(String(repeating: "A", count: 1000)) && answer.utf8.count > 5_000_000)
        let head = served.answer(served.connect(Array("HEAD /big.txt HTTP/1.1\r\nHost: 127.0.0.1:\(served.port)\r\n\r\n".utf8)))
        #expect(head.hasSuffix("\r\n\r\n") && head.contains("Content-Length: 5000000"))
        #expect(served.answer(served.connect(Array("POST / HTTP/1.1\r\nHost: 127.0.0.1:\(served.port)\r\n\r\n".utf8))).hasPrefix("HTTP/1.1 405"))
    }

    // Proves: when the system refuses connections (out of file descriptors), the server says
    // so once, keeps trying with growing waits, says when it accepts again, and serves.
    @Test func acceptErrorsAreRetriedAndLogged() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write(["Site/index.html": "<p>home</p>"])
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
            var refusals = 0
        }
        let log = Log()
        let server = SiteServer(root: folder.url.appendingPathComponent("Site")) { line in log.lock.withLock { log.lines.append(line) } }
        server.acceptConnection = { fd in
            let refuse = log.lock.withLock { () -> Bool in
                log.refusals += 1
                return log.refusals <= 5
            }
            if refuse {
                errno = EMFILE
                return -1
            }
            return accept(fd, nil, nil)
        }
        try server.start(port: 0)
        defer { server.stop() }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = server.port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var answer = [UInt8](repeating: 0, count: 200)
        let count = answer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        close(fd)
        #expect(String(decoding: answer[0..<max(count, 0)], as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"))
        #expect(log.lock.withLock { log.lines } == ["serve: cannot accept a connection (Too many open files); trying again",
                                                    "serve: accepting connections again"])
    }
}
