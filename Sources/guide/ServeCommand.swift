import ArgumentParser
import FlyingFox
import Foundation
import GuideKit

/// `guide serve`: builds the site, serves it on this computer, and rebuilds on every change.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the site, serve it at http://127.0.0.1:PORT/, and rebuild when a file changes.",
        discussion: """
        Only this computer can open the site (the server listens on 127.0.0.1). When a chapter, \
        guide.yml, the glossary or a template changes, the site is rebuilt within a second; \
        if the new version has errors, they are printed and the last good site stays up. \
        Press Ctrl-C to stop.

        Examples:
          guide serve
          guide serve --port 8080 --drafts
        """
    )

    @OptionGroup var folders: FolderOptions

    @Option(help: ArgumentHelp("The folder with the Mustache templates and static files (as for build).", valueName: "dir"))
    var templates: String?

    @Option(help: ArgumentHelp("The folder to write the site to.", valueName: "dir"))
    var output = "Site"

    @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
    var port: UInt16 = 8000

    @Flag(help: "Include chapters marked 'draft: true'.")
    var drafts = false

    func run() async throws {
        // Before any build: a taken port is a usage problem, said at once.
        if port != 0, !Self.canListen(on: port) {
            printError("error: port \(port) on 127.0.0.1 is already in use; stop the program using it, or choose another port with --port (for example --port \(port == 8000 ? 8001 : 8000))")
            throw ExitCode(2)
        }
        let options = BuildOptions(content: folders.content, templates: templates, output: output, includeDrafts: drafts)
        guard build(options) || FileManager.default.fileExists(atPath: options.outputDirectory.appendingPathComponent("index.html").path) else {
            throw ExitCode(1)
        }
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: port), logger: .disabled)
        await server.appendRoute("GET,HEAD *", to: SiteHandler(root: options.outputDirectory))
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        var shown = port
        if case let .ip4(_, actual)? = await server.listeningAddress { shown = actual }
        printNow("Serving \(output) at http://127.0.0.1:\(shown)/ (Ctrl-C to stop)")
        var snapshot = Self.snapshot(options)
        while !task.isCancelled {
            try await Task.sleep(nanoseconds: 500_000_000)
            let now = Self.snapshot(options)
            if now != snapshot {
                snapshot = now
                _ = build(options)
            }
        }
    }

    /// Whether a server could listen on 127.0.0.1:`port` now (a test bind, closed at once).
    static func canListen(on port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0
    }

    /// Builds and prints what happened; true when the site was written.
    func build(_ options: BuildOptions) -> Bool {
        let result = Pipeline.build(options)
        printDiagnostics(result.diagnostics)
        switch result.outcome {
        case .success:
            printNow("Built \(result.chapterCount) chapters, \(result.pageCount) pages in \(String(format: "%.2f", result.seconds)) s")
        case .contentErrors:
            printError("error: the site was not rebuilt; fix the errors above (the last good site is still served)")
        case let .configurationError(message):
            printError("error: \(message)")
        }
        return result.outcome == .success
    }

    /// Every file of the content and templates folders, with its size and modification time.
    static func snapshot(_ options: BuildOptions) -> [String: [Double]] {
        var files: [String: [Double]] = [:]
        for folder in [options.contentDirectory, options.templatesDirectory] {
            guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey]) else { continue }
            for case let url as URL in enumerator {
                let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
                files[url.path] = [values?.contentModificationDate?.timeIntervalSince1970 ?? 0, Double(values?.fileSize ?? 0)]
            }
        }
        return files
    }
}

/// Serves the files of the site folder: `/` is `index.html`, anything missing gets
/// `404.html`, and a path that tries to leave the folder gets nothing.
struct SiteHandler: HTTPHandler {
    let root: URL

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let parts = request.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        guard !parts.contains(where: { $0 == ".." || $0.hasPrefix(".") || $0.contains("\0") }) else {
            return HTTPResponse(statusCode: .notFound)
        }
        var file = parts.reduce(root) { $0.appendingPathComponent($1) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = file.appendingPathComponent("index.html")
        }
        var status = HTTPStatusCode.ok
        if !FileManager.default.fileExists(atPath: file.path) {
            file = root.appendingPathComponent("404.html")
            status = .notFound
        }
        guard let data = try? Data(contentsOf: file) else { return HTTPResponse(statusCode: .notFound) }
        return HTTPResponse(statusCode: status, headers: [.contentType: Self.contentType(file.pathExtension), .cacheControl: "no-cache"],
                            body: data)
    }

    static func contentType(_ pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
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
