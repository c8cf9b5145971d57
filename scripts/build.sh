#!/usr/bin/env bash
# Configures and builds into build/ (or $JACK_BUILD_DIR) with Ninja and ccache.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${JACK_BUILD_DIR:-build}
BUILD_TYPE=${JACK_BUILD_TYPE:-RelWithDebInfo}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${JACK_CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" "$@"
