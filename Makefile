# The two commands a newcomer needs: `make site` and `make test`.
SWIFT ?= swift
GUIDE := .build/release/guide

.PHONY: site test deps build bench clean

## site: install what is missing, build guide (release) and write Site/ from Content/
site: build
	$(GUIDE) build

## test: install what is missing, then run every test
test: deps
	$(SWIFT) test

## deps: install the system packages guide needs, if pkg-config cannot find them
deps:
	@scripts/install-system-deps

## build: the release binary, .build/release/guide
build: deps
	$(SWIFT) build -c release --product guide

## bench: build and check times, shipped guide and a generated 1,000-chapter guide
bench: build
	scripts/bench 100 1000

## clean: remove build products and the generated site
clean:
	rm -rf .build Site
