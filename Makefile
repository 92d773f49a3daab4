# linkemu: run `make run` for a local Cluster Linking lab, `make test` for the suite.
GO ?= go
BIN := bin/emulator

.PHONY: run build test test-testcontainers vet bench soak docker clean

## run: start the emulator with two embedded clusters (REST on :8090)
run:
	$(GO) run ./cmd/emulator

## build: build the emulator binary into bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/emulator

## test: vet and run every test with the race detector (what CI runs)
test: vet test-testcontainers
	$(GO) test -race -count=1 -timeout 20m ./...

## test-testcontainers: vet and test the testcontainers-go module (its own go.mod);
## its Docker test runs with: cd testcontainers/linkemu && go test -tags docker ./...
test-testcontainers:
	cd testcontainers/linkemu && $(GO) vet ./... && $(GO) vet -tags docker ./... && $(GO) test -race -count=1 ./...

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
	docker build -t linkemu:dev .

clean:
	rm -rf bin
