# The two commands of the README. Everything else is CMake presets (see HACKING.md).
.PHONY: run test release dev bench bootstrap clean

JOBS ?= $(shell nproc)

bootstrap:
	@scripts/bootstrap

release: bootstrap
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# The main job on the embedded dataset.
run: release
	@./build/release/apps/cli/lodestone info --format table

dev: bootstrap
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

# Every test, in the developer configuration (ASan + UBSan).
test: dev
	@ctest --preset all

bench: bootstrap
	@cmake --preset bench >/dev/null
	@cmake --build --preset bench -j $(JOBS)
	@for b in build/bench/bench/*_bench; do [ -x "$$b" ] && "$$b"; done

clean:
	rm -rf build
