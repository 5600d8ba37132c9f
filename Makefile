# LogoMesh Plugin Host. `make` lists the targets.
SHELL := /bin/bash
JAVA_HOME ?= /usr/lib/jvm/temurin-25-jdk-amd64
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
export TESTCONTAINERS_RYUK_DISABLED := true
export TESTCONTAINERS_HOST_OVERRIDE := 127.0.0.1
MVN := mvn -B -ntp
RUNTIMES := nodejs python wasm

.PHONY: help docker images run test build clean deploy undeploy smoke plugin browser-deps api-tools wasm-tools wasm-plugins wasm-fixtures sdk-tools

# WebAssembly examples: built from their .wat (gitignored .wasm). Test fixtures: the .wasm is
# committed beside its .wat, so `make test` needs no tool; `make wasm-fixtures` regenerates them.
WASM_PLUGINS := $(patsubst %.wat,%.wasm,$(wildcard plugins/*/plugin.wat))
# ... and from C (runtime-images/wasm/logomesh.h; Debian clang + lld + wasi-libc)
WASM_C_PLUGINS := $(patsubst %.c,%.wasm,$(wildcard plugins/*/plugin.c))
WASM_FIXTURE_SOURCES := $(wildcard src/test/resources/plugins/*/*.wat)

help:
	@echo "LogoMesh Plugin Host"
	@echo "  make run      build what is missing, start the service on :8080 with ./plugins loaded"
	@echo "  make test     unit and real-container tests, coverage in target/jacoco-report"
	@echo "  make images   build the runtime images offline (base rootfs via debootstrap) and the wasm examples"
	@echo "  make wasm-plugins   compile the WebAssembly examples in ./plugins (installs wabt if missing)"
	@echo "  make wasm-fixtures  regenerate the committed .wasm test fixtures from their .wat"
	@echo "  make build    package the service (target/quarkus-app)"
	@echo "  make docker   make sure a Docker engine answers (installs docker.io on Debian as root)"
	@echo "  make browser-deps  Chromium (apt, as root), Node.js and playwright-core for the dashboard's browser test"
	@echo "  make api-tools     the pinned OpenAPI linter and client generator (npm) and promtool (apt) for make test"
	@echo "  make bench    benchmarks (cold activation, echo round trip, plugin-to-plugin messaging, monitor, load via wrk);"
	@echo "               see BENCHMARKS.md (ARGS=\"--only load\" for one section)"
	@echo "  make deploy   build the service's image offline and run it with compose (deploy/; LOGOMESH_PORT,"
	@echo "                LOGOMESH_DEPLOY_DATA=/var/lib/logomesh, LOGOMESH_API_TOKEN), wait until healthy"
	@echo "  make undeploy remove the deployed service and its plugin containers (PURGE=1: its data too)"
	@echo "  make smoke    deploy, install + activate + run a plugin through the deployed API, undeploy"
	@echo "  make plugin NAME=x RUNTIME=nodejs|python|webassembly [LANG=typescript]   scaffold plugins/x (manifest, code,"
	@echo "               README, test.sh, SDK types + test harness; runs its unit test; DIR= elsewhere); docs/plugin-sdk.md"
	@echo "  bin/logomesh  command-line client (REST only): bin/logomesh --help"
	@echo "  make clean    remove build output"

docker:
	@deploy/ensure-docker.sh

images: docker wasm-plugins
	@runtime-images/build.sh all

wasm-tools:
	@deploy/ensure-wabt.sh

wasm-plugins: $(WASM_PLUGINS) $(WASM_C_PLUGINS)

plugins/%.wasm: plugins/%.wat
	@deploy/ensure-wabt.sh
	wat2wasm $< -o $@

plugins/%.wasm: plugins/%.c runtime-images/wasm/logomesh.h
	@deploy/ensure-wasi-clang.sh
	clang --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror -I runtime-images/wasm -o $@ $<

# the plugin SDK's checkers (SdkTypesTest): the pinned tsc (npm), mypy and C for WebAssembly (Debian)
sdk-tools:
	@sdk/tools/ensure.sh
	@deploy/ensure-mypy.sh
	@deploy/ensure-wasi-clang.sh

wasm-fixtures: wasm-tools
	@for wat in $(WASM_FIXTURE_SOURCES); do echo "wat2wasm $$wat"; wat2wasm "$$wat" -o "$${wat%.wat}.wasm" || exit 1; done

build:
	$(MVN) -q package -DskipTests

target/quarkus-app/quarkus-run.jar: pom.xml $(shell find src/main -type f 2>/dev/null)
	$(MVN) -q package -DskipTests

run: images wasm-plugins target/quarkus-app/quarkus-run.jar
	java -jar target/quarkus-app/quarkus-run.jar

# the dashboard's real-browser test (DashboardBrowserTest) needs Chromium and playwright-core
browser-deps:
	@src/test/browser/setup.sh

# the outside checks of /q/openapi and /q/metrics (OpenApiToolsTest, MetricsExpositionTest): the pinned npm
# tools (@redocly/cli, openapi-typescript, openapi-fetch, tsc) and Debian's promtool
api-tools:
	@src/test/openapi/setup.sh
	@deploy/ensure-tool.sh promtool prometheus "promtool (Debian package prometheus)"

test: images browser-deps wasm-plugins sdk-tools api-tools
	$(MVN) verify

clean:
	rm -rf target target-*

.PHONY: bench
bench: images wasm-plugins target/quarkus-app/quarkus-run.jar
	@deploy/ensure-wrk.sh
	python3 src/bench/host_bench.py $(ARGS)

deploy: docker images target/quarkus-app/quarkus-run.jar
	@deploy/deploy.sh

undeploy:
	@deploy/undeploy.sh

smoke: docker images target/quarkus-app/quarkus-run.jar
	@deploy/smoke.sh

# LANG=typescript picks the plugin's language; any other LANG (a locale from the environment) is not one
PLUGIN_LANG := $(filter javascript js typescript ts,$(LANG))
plugin:
	@LANG=C.UTF-8 scaffold/new-plugin.sh "$(NAME)" "$(RUNTIME)" "$(or $(DIR),plugins)" "$(PLUGIN_LANG)"
