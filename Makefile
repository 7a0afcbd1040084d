# kafkalab — the two commands: `make run` and `make test`.
SWIFT ?= swift
BIN_DEBUG := .build/debug/kafkalab
BIN_RELEASE := .build/release/kafkalab
# Release builds link the Swift runtime and Foundation statically: loading a dozen shared libraries (ICU alone is
# 40 MB) was most of the start-up time. lld, because gold prints a warning from the static Foundation archive.
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -use-ld=lld
# Tests create many short-lived clusters whose segment files go to a temporary folder: use tmpfs when there is one.
TEST_TMPDIR := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo $${TMPDIR:-/tmp})

.PHONY: run test build unit notebooks pty cli crash bench deps release protocol clients bench-clients

# Headers from Debian's -dev packages, installed when missing: libedit (line editing for the shell), and zlib, zstd,
# lz4 and snappy (the codecs of compressed record batches real clients send).
DEV_PACKAGES := libedit:libedit-dev zlib:zlib1g-dev libzstd:libzstd-dev liblz4:liblz4-dev snappy:libsnappy-dev
deps:
	@missing=$$(for entry in $(DEV_PACKAGES); do pkg-config --exists $${entry%%:*} 2>/dev/null || echo $${entry#*:}; done); \
	[ -z "$$missing" ] || { \
		echo "Installing" $$missing "..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing pkg-config; }

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product kafkalab

run: release
	@$(BIN_RELEASE) $(ARGS)

build: deps
	$(SWIFT) build

unit: build
	TMPDIR=$(TEST_TMPDIR) $(SWIFT) test

notebooks: build
	@start=$$(date +%s%N); TMPDIR=$(TEST_TMPDIR) $(BIN_DEBUG) run --quiet lessons Tests/Transcripts; status=$$?; \
	echo "notebook suite: $$(( ($$(date +%s%N) - start) / 1000000 )) ms"; exit $$status

pty: build
	python3 Tests/pty/pty_test.py --config Tests/pty/kafkalab.json $(BIN_DEBUG) -- --init "topic create orders -p 3"
	python3 Tests/pty/serve_pty_test.py $(BIN_DEBUG)

cli: build
	Tests/cli/cli_test.sh $(BIN_DEBUG)

# SIGKILL a producing kafkalab --data-dir, reopen, check acknowledged records and tail truncation.
crash: build
	python3 Tests/crash/crash_test.py $(BIN_DEBUG)

# Every unit test, every notebook (lessons and transcripts), the command-line, terminal and crash tests.
# kcat, kafka-python and confluent-kafka against `kafkalab serve` (../shared/clients' check suites and Tests/wire's
# compression and transaction suites; installs kcat and a
# cached venv when missing), then a check that the committed codec is what the generator makes from the schemas.
clients: build
	Tests/wire/run-client-checks.sh $(BIN_DEBUG)
	@tmp=$$(mktemp -d); python3 Scripts/gen-kafka-protocol.py "$(KAFKA_SCHEMAS_NOW)" $$tmp >/dev/null && \
		diff -r -q $$tmp Sources/KafkaWire/Generated && echo "wire codec: up to date with the schemas"; \
		status=$$?; rm -rf $$tmp; exit $$status

test: unit notebooks cli pty crash clients

# Segment files go where the tests put theirs (tmpfs when there is one): the figures are the simulator's, not a disk's.
bench: deps
	$(SWIFT) build $(RELEASE_FLAGS)
	TMPDIR=$(TEST_TMPDIR) .build/release/kafkalab-bench $(SECTIONS)
	@if [ -z "$(SECTIONS)" ]; then Tests/wire/bench-clients.sh .build/release/kafkalab; fi

# Real clients against `kafkalab serve` and against librdkafka's mock cluster, side by side.
bench-clients: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product kafkalab
	Tests/wire/bench-clients.sh .build/release/kafkalab

# Regenerates the wire codec from the Kafka message schemas kafka-python ships (KAFKALAB_VENV: the venv holding
# kafka-python 3.0.12), its round-trip samples, and the golden bodies kafka-python encodes for the codec tests.
KAFKALAB_VENV ?= $(HOME)/.cache/kafkalab/venv
# Evaluated when used: the client checks may have just created the venv.
KAFKA_SCHEMAS_NOW = $$(ls -d $(KAFKALAB_VENV)/lib/python3*/site-packages/kafka/protocol/schemas/resources | head -1)
KAFKA_SCHEMAS = $(firstword $(wildcard $(KAFKALAB_VENV)/lib/python3*/site-packages/kafka/protocol/schemas/resources))
protocol:
	python3 Scripts/gen-kafka-protocol.py $(KAFKA_SCHEMAS) Sources/KafkaWire/Generated --samples Tests/KafkaWireTests/GeneratedSamples.swift
	$(KAFKALAB_VENV)/bin/python Scripts/gen-wire-goldens.py $(KAFKA_SCHEMAS) Tests/KafkaWireTests/GoldenFrames.swift
