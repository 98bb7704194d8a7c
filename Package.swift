// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "guide",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "guide", targets: ["guide"]),
        .library(name: "GuideKit", targets: ["GuideKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // The system's cmark-gfm (Debian: libcmark-gfm-dev, libcmark-gfm-extensions-dev).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // The system's Snowball stemmers (Debian: libstemmer-dev, which has no pkg-config file).
        .systemLibrary(
            name: "CStemmer",
            providers: [.apt(["libstemmer-dev"])]
        ),
        // The system's libhyphen, which counts syllables from LibreOffice hyphenation
        // dictionaries (Debian: libhyphen-dev, which has no pkg-config file; the dictionaries
        // are hyphen-es and the other hyphen-* packages).
        .systemLibrary(
            name: "CHyphen",
            providers: [.apt(["libhyphen-dev"])]
        ),
        // The system's mimalloc (Debian: libmimalloc-dev), linked into the `guide` program so
        // that it replaces malloc and free: a build allocates millions of small strings, and
        // glibc's allocator took about a tenth of its time.
        .systemLibrary(
            name: "CMimalloc",
            providers: [.apt(["libmimalloc-dev"])]
        ),
        // Two system calls Swift's Glibc module does not show (an atomic folder swap).
        .target(name: "CSystem"),
        // HTTP for `check --external`: the system's libcurl (Debian: libcurl4-openssl-dev for
        // the header), loaded with dlopen when a link is first checked, not at every start.
        .target(name: "CHTTP"),
        .target(
            name: "GuideKit",
            dependencies: [
                "CCmarkGFM",
                "CHyphen",
                "CStemmer",
                "CHTTP",
                "CSystem",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "guide",
            dependencies: [
                "GuideKit",
                "CMimalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "GuideKitTests",
            dependencies: ["GuideKit"]
        ),
    ]
)
