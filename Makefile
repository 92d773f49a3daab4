# linkemu: run `make run` for a local Cluster Linking lab, `make test` for the suite.
GO ?= go
BIN := bin/emulator
# What `emulator version` reports; override on the command line for releases.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
PKG := github.com/linkemu/linkemu/internal/buildinfo
LDFLAGS := -X $(PKG).Version=$(VERSION) -X $(PKG).Commit=$(COMMIT) -X $(PKG).Date=$(DATE)

.PHONY: help run build test test-testcontainers vet bench soak docker clean

## help: list these targets
help:
	@awk '/^## [a-z-]+:/ { sub(/^## /, ""); split($$0, p, ":"); printf "  %-20s%s\n", p[1], substr($$0, length(p[1]) + 2); next } \
	     /^## / { sub(/^## /, ""); printf "  %-20s %s\n", "", $$0 }' $(MAKEFILE_LIST)

## run: build, then run the emulator with two embedded clusters (REST on :8090);
## pass flags with ARGS="--log-format json"; Ctrl-C stops it cleanly
run: build
	exec ./$(BIN) $(ARGS)

## build: build the emulator binary into bin/, stamped with its version
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/emulator

## test: vet and run every test with the race detector (what CI runs)
test: vet test-testcontainers
	$(GO) test -race -count=1 -timeout 20m ./...

## test-testcontainers: vet and test the testcontainers-go module (its own go.mod);
## its Docker test runs with: cd testcontainers/linkemu && go test -tags docker ./...
test-testcontainers:
	cd testcontainers/linkemu && $(GO) vet ./... && $(GO) vet -tags docker ./... && $(GO) test -race -count=1 ./...

## vet: go vet every package
vet:
	$(GO) vet ./...

## bench: replication throughput, latency and scale (see docs/benchmarks.md)
bench:
	$(GO) run ./cmd/linkemu-bench

## soak: 20 rounds of the SIGKILL crash test during transactional copying
soak:
	LINKEMU_CRASH_ROUNDS=20 $(GO) test -count=1 -timeout 30m -run 'TestSIGKILLDuringTransactionalCopying' -v ./cmd/emulator/

## docker: build the container image linkemu:dev
docker:
	docker build --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) --build-arg DATE=$(DATE) -t linkemu:dev .

## clean: remove bin/
clean:
	rm -rf bin
