# The two commands of the README. Everything else is CMake presets (see HACKING.md).
.PHONY: run test release dev lint tsan bench bootstrap web clean

JOBS ?= $(shell nproc)

bootstrap:
	@scripts/bootstrap web

# The dashboard (web/, served by `lodestone serve`): `npm ci` only when node_modules is missing or
# older than the lock file, then a Vite build into web/dist when a source changed.
WEB_SRC := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig.json data/examples -type f 2>/dev/null)
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRC)
	@mkdir -p build
	@cd web && npm run build > ../build/web-build.log 2>&1 || { cat ../build/web-build.log; exit 1; }

web: bootstrap web/dist/index.html

release: web
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# The main job on the embedded dataset: the brief (terminal summary + self-contained HTML).
run: release
	@./build/release/apps/cli/lodestone brief --out build/brief.html

dev: web
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

# clang-format and clang-tidy over every C++ file (scripts/lint; `scripts/lint --fix` formats). Needs
# the dev tree's compile database and generated sources, hence after `dev`. Part of `test`.
lint: dev
	@scripts/lint --check --jobs $(JOBS)

# ThreadSanitizer: only the targets of the tests labelled `concurrent` (tests/CMakeLists.txt).
tsan: bootstrap
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS) --target concurrent_tests

# The format check (seconds, so first), every test in the developer configuration (ASan + UBSan),
# the tests that run threads under ThreadSanitizer, the smoke set on the release binary (the one
# `make run` uses), then clang-tidy over every .cpp (~7 min on two cores, so last).
test: dev tsan release
	@scripts/lint --format-only
	@LODE_E2E_REQUIRED=1 ctest --preset all
	@ctest --preset tsan
	@ctest --preset release
	@scripts/lint --tidy-only --jobs $(JOBS)

bench: bootstrap
	@cmake --preset bench >/dev/null
	@cmake --build --preset bench -j $(JOBS)
	@for b in build/bench/bench/*_bench; do [ -x "$$b" ] && "$$b"; done

clean:
	rm -rf build web/dist
