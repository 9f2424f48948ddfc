#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/CMakeLists.txt, with clang++) and
# runs them for a bounded time; exits non-zero on any crash, sanitizer report,
# timeout or out-of-memory. CTest calls it (tests/CMakeLists.txt); by hand:
#
#   tests/fuzz/run_fuzz.sh <build-dir> [seconds] [target...]
#   tests/fuzz/run_fuzz.sh build/fuzz 60 definition_fuzz
#
# With seconds 0 it only builds. Each target starts from the seeds in
# tests/fuzz/corpus/<name> (read only) and writes the inputs it finds to
# <build-dir>/corpus/<name>, crash reproducers to <build-dir>/artifacts/.
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)"
build="${1:?usage: run_fuzz.sh <build-dir> [seconds] [target...]}"
seconds="${2:-30}"
shift $(( $# > 1 ? 2 : 1 ))
targets=("$@")
((${#targets[@]})) || targets=(expr_fuzz definition_fuzz yaml_fuzz http_request_fuzz webhook_fuzz ini_fuzz)

clangxx="${CLANGXX:-$(command -v clang++ || command -v clang++-14 || true)}"
if [ -z "$clangxx" ]; then
  echo "run_fuzz: clang++ not found (scripts/setup installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi

mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$src" -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$clangxx" \
    -DCMAKE_BUILD_TYPE= >/dev/null
fi
cmake --build "$build" -j 2 --target "${targets[@]}"
((seconds > 0)) || exit 0

for t in "${targets[@]}"; do
  name="${t%_fuzz}"
  mkdir -p "$build/corpus/$name" "$build/artifacts"
  seeds=()
  [ -d "$src/corpus/$name" ] && seeds=("$src/corpus/$name")
  max_len=4096
  if [ "$name" = webhook ]; then
    # GitHub's real payloads (../shared beside the repository), read only.
    for d in "$src/../../../shared/fixtures/github-webhooks"/*/; do
      [ -d "$d" ] && seeds+=("$d")
    done
    max_len=65536
  fi
  [ "$name" = ini ] && seeds+=("$src/../../config")  # the node's own INI files
  dict=()
  [ -f "$src/$name.dict" ] && dict=(-dict="$src/$name.dict")
  echo "run_fuzz: $t for ${seconds}s" >&2
  "$build/$t" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "${dict[@]}" \
    "$build/corpus/$name" "${seeds[@]}"
done
