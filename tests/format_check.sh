#!/usr/bin/env bash
# Fails when a C++ source of troupe is not formatted as .clang-format says,
# naming each file and line (clang-format 14, Debian's clang-format-14). CTest
# runs it as format_check. To fix:
#   tests/format_check.sh --fix
# The real tools' programs kept as fixtures (tests/fixtures/) stay as their
# authors wrote them.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find actors messages runtime tests perf \
  -path tests/fixtures -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
if [ "${1:-}" = "--fix" ]; then
  clang-format-14 -i "${files[@]}"
else
  clang-format-14 --dry-run -Werror "${files[@]}"
fi
