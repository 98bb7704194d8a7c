# The two commands a newcomer needs: `make site` and `make test`.
SWIFT ?= swift
GUIDE := .build/release/guide

.PHONY: site test swift-test browser-test deps test-deps build bench clean

## site: install what is missing, build guide (release) and write Site/ from Content/
site: build
	$(GUIDE) build

## test: install what is missing, then run every test: Swift, then in a real browser
test: swift-test browser-test

## swift-test: the Swift Testing suite (unit and end-to-end tests)
swift-test: deps
	@scripts/embed-templates
	$(SWIFT) test

## browser-test: axe-core, the Nu HTML Checker, textstat and search in headless Chromium
browser-test: swift-test test-deps
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/pytest Tests/browser -q

## test-deps: install Chromium, chromedriver and the Python packages the browser tests need
test-deps:
	@scripts/install-test-deps

## deps: install the system packages guide needs, if pkg-config cannot find them
deps:
	@scripts/install-system-deps

## build: the release binary, .build/release/guide (the templates built in, from Templates/).
## It carries the Swift runtime and Foundation inside it, so it starts in a third of the time
## (a build starts it three times, with its parse workers) and can be copied alone. It is
## linked at a fixed address (-no-pie, as Go links its programs): the loader then has no
## 80,000 addresses to fix up in it at each start (0.7 ms of CPU and 200 page faults less a start).
build: deps
	@scripts/embed-templates
	$(SWIFT) build -c release --product guide --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie

## bench: build and check times (shipped guide, generated guides of 100 and 1,000 chapters),
## then guide beside Hugo and the cmark-gfm floor at 1,000 and 10,000 chapters,
## then search: bytes a first query loads and query latency in Chromium at 100, 1,000 and 10,000
bench: build test-deps
	@scripts/install-bench-deps
	scripts/bench 100 1000
	python3 scripts/bench-anchors.py 100 1000 10000
	python3 scripts/bench-serve.py 100 1000
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/python scripts/bench-search.py 100 1000 10000

## clean: remove build products and the generated site
clean:
	rm -rf .build Site
