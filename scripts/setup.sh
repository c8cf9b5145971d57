#!/usr/bin/env bash
# Installs what Jack needs on Debian bookworm (as root, or with sudo): the Debian packages and
# sqlite-vec's vec0.so from the npm package sqlite-vec-linux-x64@0.1.9. Idempotent and quiet
# when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  cmake ninja-build ccache g++ pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev
  libsqlite3-dev sqlite3 libssl-dev libcrypt-dev libcurl4-openssl-dev
  libcld2-dev libfasttext-dev libre2-dev libstemmer-dev libhowardhinnant-date-dev libcli11-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev wrk clang-format curl python3
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

VEC_DIR=third_party/sqlite-vec
if [ ! -f "$VEC_DIR/vec0.so" ]; then
  command -v npm >/dev/null || { echo "setup: npm is needed to fetch sqlite-vec (Node.js 20 comes with these machines)"; exit 1; }
  echo "setup: fetching sqlite-vec-linux-x64@0.1.9"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent sqlite-vec-linux-x64@0.1.9 >/dev/null && tar xzf sqlite-vec-linux-x64-0.1.9.tgz)
  mkdir -p "$VEC_DIR"
  cp "$tmp/package/vec0.so" "$VEC_DIR/vec0.so"
  rm -rf "$tmp"
fi
