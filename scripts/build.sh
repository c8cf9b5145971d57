#!/usr/bin/env bash
# Configures and builds into build/ (or $JACK_BUILD_DIR) with Ninja and ccache.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${JACK_BUILD_DIR:-build}
BUILD_TYPE=${JACK_BUILD_TYPE:-RelWithDebInfo}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Paths under the checkout hash as relative ones, so that a fresh clone elsewhere (CI) hits the
# cache of an earlier build; debug info keeps the paths of the first build that filled it.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${JACK_CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" "$@"
