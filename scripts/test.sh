#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: unit tests per library and
# end-to-end tests against the real binary on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
cd "${JACK_BUILD_DIR:-build}"
ctest --output-on-failure -j2 "$@"
