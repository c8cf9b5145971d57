#!/usr/bin/env bash
# Prints Jack's speed figures on this machine: start-up time, idle RSS, /health and web-chat
# throughput and latency (wrk on loopback), and the web-chat round trip of the 60 sample
# messages (p50/p99), the answer time with a failing or stalled remote model. Usage: bench/run.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
JACK=$BUILD/jack
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)"; exit 1; }
tmp=$(mktemp -d)
trap 'kill $(cat $tmp/pid 2>/dev/null) 2>/dev/null || true; rm -rf $tmp' EXIT

export JACK_RATE_LIMITS=off JACK_BCRYPT_COST=4 JACK_LOG_LEVEL=warn
export JACK_ADMIN_EMAIL=admin@miramar.example JACK_ADMIN_PASSWORD=demo-admin-2026
INBOX=${JACK_BENCH_INBOX:-10000}
start=$(date +%s%N)
$JACK serve --demo --port 0 --port-file $tmp/port --db $tmp/jack.db > $tmp/out.log 2>&1 &
echo $! > $tmp/pid
while [ ! -s $tmp/port ]; do sleep 0.01; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
PORT=$(cat $tmp/port)
URL=http://127.0.0.1:$PORT
echo "start-up (empty database, demo load with bcrypt cost 4, until listening): ${ready} ms"
# restart on the loaded database for a clean start-up figure
kill $(cat $tmp/pid); wait $(cat $tmp/pid) 2>/dev/null || true; rm -f $tmp/port
start=$(date +%s%N)
$JACK serve --port 0 --port-file $tmp/port --db $tmp/jack.db > $tmp/out.log 2>&1 &
echo $! > $tmp/pid
while [ ! -s $tmp/port ]; do sleep 0.005; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
PORT=$(cat $tmp/port); URL=http://127.0.0.1:$PORT
sleep 0.5
echo "start-up (existing database, until listening): ${ready} ms"
echo "idle RSS: $(( $(grep VmRSS /proc/$(cat $tmp/pid)/status | awk '{print $2}') / 1024 )) MB"

echo "== GET /health"
for c in 10 100; do
  wrk -t2 -c$c -d5s --latency $URL/health | grep -E "Requests/sec|50%|99%" | tr -s ' ' | tr '\n' ' '; echo " ($c connections)"
done

for i in $(seq 1 50); do
  curl -s -XPOST -H 'Content-Type: application/json' -d '{}' $URL/api/v1/webchat/sessions \
    | sed -E 's/.*"token":"([^"]+)".*/\1/'; echo
done > $tmp/tokens
echo "== POST /api/v1/webchat/messages (local engine, 50 sessions)"
for c in 10 50; do
  JACK_BENCH_TOKENS=$tmp/tokens wrk -t2 -c$c -d5s --latency -s bench/webchat.lua $URL \
    | grep -E "Requests/sec|50%|99%|Non-2xx" | tr -s ' ' | tr '\n' ' '; echo " ($c connections)"
done
echo "RSS under load: $(( $(grep VmHWM /proc/$(cat $tmp/pid)/status | awk '{print $2}') / 1024 )) MB (peak)"

echo "== GET /api/v1/conversations (authenticated, 50 per page, $(( INBOX )) conversations)"
kill $(cat $tmp/pid); wait $(cat $tmp/pid) 2>/dev/null || true; rm -f $tmp/port
python3 bench/seed_inbox.py $tmp/jack.db $INBOX > /dev/null
$JACK serve --port 0 --port-file $tmp/port --db $tmp/jack.db > $tmp/out.log 2>&1 &
echo $! > $tmp/pid
while [ ! -s $tmp/port ]; do sleep 0.01; done
PORT=$(cat $tmp/port); URL=http://127.0.0.1:$PORT
ACCESS=$(curl -s -XPOST -H 'Content-Type: application/json' \
  -d "{\"email\":\"$JACK_ADMIN_EMAIL\",\"password\":\"$JACK_ADMIN_PASSWORD\"}" \
  $URL/api/v1/auth/login | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
for c in 10 100; do
  wrk -t2 -c$c -d5s --latency -H "Authorization: Bearer $ACCESS" "$URL/api/v1/conversations" \
    | grep -E "Requests/sec|50%|99%|Non-2xx" | tr -s ' ' | tr '\n' ' '; echo " ($c connections)"
done
echo "RSS under load: $(( $(grep VmHWM /proc/$(cat $tmp/pid)/status | awk '{print $2}') / 1024 )) MB (peak), $(( $(grep VmRSS /proc/$(cat $tmp/pid)/status | awk '{print $2}') / 1024 )) MB now"

echo "== the 60 sample messages through a running server, one round trip each"
$JACK eval eval/guest-messages.jsonl --url $URL | grep -E "fully right|pipeline time"

echo "== our own utterances, the held-out eighth (never trained on; local engine)"
"$BUILD/jack_train" --data data --write-heldout $tmp/held-out.jsonl > /dev/null
$JACK eval $tmp/held-out.jsonl | grep -E "^family accuracy|department acc|hand-off recall|false-task rate|escalation rate, requests"
echo "== knowledge questions, held out (eval/kb-questions.jsonl, local engine)"
$JACK eval eval/kb-questions.jsonl | grep -E "knowledge answers|wrong-fact|unanswerable"
echo "== knowledge questions, dev set retrieval is tuned on (eval/kb-dev.jsonl)"
$JACK eval eval/kb-dev.jsonl | grep -E "knowledge answers|wrong-fact|unanswerable"

echo "== the local pipeline with about 1,000 knowledge chunks (bench/kb_scale.sh)"
bash bench/kb_scale.sh "$BUILD"

echo "== a remote model that answers, fails or stalls (fake OpenAI server on loopback)"
JACK_BIN=$JACK python3 bench/provider_bench.py 1000 20 2>/dev/null

echo "== storage (bench/db_bench.cpp: 10k and 100k rows per table)"
"$BUILD/bench/jack_db_bench"
