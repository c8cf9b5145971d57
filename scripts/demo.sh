#!/usr/bin/env bash
# Installs what is missing, builds, and runs Jack on the demo hotel with the local AI:
# http://127.0.0.1:3000 (JACK_PORT, JACK_DB and the other JACK_* variables apply).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh --target jack
exec build/jack serve --demo "$@"
