#!/usr/bin/env python3
"""Time until the guest has an answer with a remote model that answers, fails or stalls
(fake OpenAI server on loopback; ai.md: the time-out plus at most 50 ms).
Usage: JACK_BIN=build/jack python3 bench/provider_bench.py [timeout_ms] [messages]"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from fake_providers import FakeChat  # noqa: E402
from test_e2e import Server  # noqa: E402

timeout_ms = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
fake = FakeChat("openai")
fake.stall_s = timeout_ms / 1000.0 * 3
server = Server(rate_limits=False, extra_env={
    "JACK_AI_PROVIDER": "openai", "JACK_AI_BASE_URL": fake.base_url,
    "JACK_AI_API_KEY": fake.key, "JACK_AI_TIMEOUT_MS": str(timeout_ms)})
try:
    print("remote model time-out %d ms, %d knowledge questions per mode" % (timeout_ms, n))
    for mode in ("ok", "fail", "stall"):
        fake.mode = mode
        times = []
        for i in range(n):
            session = server.new_session()
            t0 = time.perf_counter()
            r = server.chat(session, "What time is breakfast served?")
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status == 200 and r.json["replies"], r
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print("  %-6s answer in p50 %7.1f ms, p99 %7.1f ms, max %7.1f ms%s" % (
            mode, statistics.median(times), p99, times[-1],
            "  (time-out + %.1f ms)" % (times[-1] - timeout_ms) if mode == "stall" else ""))
finally:
    server.stop()
    fake.stop()
