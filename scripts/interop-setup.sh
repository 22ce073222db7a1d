#!/usr/bin/env bash
# Builds the interop toolkit's Python venv (the original Hypergolix 0.1.0 from PyPI), which the
# InteropTests drive. Idempotent and quick once built.
#
# Finds the toolkit in $HGX_SHARED_DIR/interop, ../shared/interop (beside this clone) or /work/shared.
# With CI set, a missing toolkit or a failed build is an error; elsewhere it is reported and skipped.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

find_shared() {
  for d in "${HGX_SHARED_DIR:-}" "$here/../shared" /work/shared; do
    [ -n "$d" ] && [ -x "$d/interop/setup.sh" ] && { (cd "$d" && pwd); return 0; }
  done
  return 1
}

if ! shared=$(find_shared); then
  if [ -n "${CI:-}" ]; then
    echo "interop-setup: CI is set but no interop toolkit was found (set HGX_SHARED_DIR)" >&2
    exit 1
  fi
  echo "interop-setup: no interop toolkit (../shared/interop); interop tests will skip"
  exit 0
fi

echo "interop-setup: building the reference venv from $shared/interop"
if ! "$shared/interop/setup.sh"; then
  echo "interop-setup: FAILED to build the reference venv" >&2
  exit 1
fi
