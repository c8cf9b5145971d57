"""Fake AI providers on loopback for end-to-end tests: real HTTP servers that speak the
OpenAI embeddings protocol (and can be told to fail or stall), run in a thread."""

import hashlib
import http.server
import json
import math
import re
import threading
import time


def hashed_vector(text, dims):
    """A deterministic bag-of-words vector: texts sharing words are close (cosine)."""
    v = [0.0] * dims
    for w in re.findall(r"\w+", text.lower()):
        h = int.from_bytes(hashlib.sha256(w.encode()).digest()[:8], "big")
        v[h % dims] += 1.0 if (h >> 63) == 0 else -1.0
    if not any(v):
        v[0] = 1.0
    n = math.sqrt(sum(x * x for x in v))
    return [x / n for x in v]


class FakeEmbeddings:
    """POST /v1/embeddings answered like OpenAI. `mode` is "ok", "fail" (503) or "stall"."""

    def __init__(self, dims=64, key="sk-fake-embeddings-key"):
        self.dims = dims
        self.key = key
        self.mode = "ok"
        self.requests = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                req = json.loads(body)
                fake.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                      "body": req})
                if fake.mode == "stall":
                    time.sleep(5)
                if fake.mode != "ok":
                    return self.answer(503, {"error": {"message": "overloaded"}})
                if self.path != "/v1/embeddings":
                    return self.answer(404, {"error": {"message": "no such path"}})
                if self.headers.get("Authorization") != "Bearer " + fake.key:
                    return self.answer(401, {"error": {"message": "Incorrect API key"}})
                data = [{"object": "embedding", "index": i,
                         "embedding": hashed_vector(t, fake.dims)}
                        for i, t in enumerate(req["input"])]
                self.answer(200, {"object": "list", "data": data, "model": req["model"],
                                  "usage": {"prompt_tokens": 1, "total_tokens": 1}})

            def answer(self, status, obj):
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self):
        return "http://127.0.0.1:%d/v1" % self.port

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
