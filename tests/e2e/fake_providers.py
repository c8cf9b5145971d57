"""Fake AI providers on loopback for end-to-end tests: real HTTP servers that speak the
OpenAI embeddings protocol (and can be told to fail or stall), run in a thread."""

import hashlib
import http.server
import json
import math
import re
import threading
import time


# The fake is a small "multilingual" model: these words mean their English word, as a real
# model's vectors of a question and its answer in two languages are close.
MEANINGS = {"telescopio": "telescope", "azotea": "roof", "estrellas": "stars",
            "huéspedes": "guests", "gratis": "free", "noche": "night", "para": "for"}


def hashed_vector(text, dims, meanings=False):
    """A deterministic bag-of-words vector: texts sharing words are close (cosine). With
    `meanings`, words of MEANINGS count as their English word and words of three letters or
    fewer count for nothing (the function words of any language)."""
    v = [0.0] * dims
    for w in re.findall(r"\w+", text.lower()):
        if meanings:
            w = MEANINGS.get(w, w)
            if len(w) <= 3:
                continue
        h = int.from_bytes(hashlib.sha256(w.encode()).digest()[:8], "big")
        v[h % dims] += 1.0 if (h >> 63) == 0 else -1.0
    if not any(v):
        v[0] = 1.0
    n = math.sqrt(sum(x * x for x in v))
    return [x / n for x in v]


class JsonHandler(http.server.BaseHTTPRequestHandler):
    """Answers JSON; a client that gave up (its time-out) is no error of the fake."""

    def log_message(self, *args):
        pass

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


class LoopbackServer:
    """A threaded HTTP server on a free loopback port, serving `handler` until stop()."""

    def serve(self, handler):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class FakeEmbeddings(LoopbackServer):
    """POST /v1/embeddings answered like OpenAI. `mode` is "ok", "fail" (503) or "stall"."""

    def __init__(self, dims=64, key="sk-fake-embeddings-key", meanings=False):
        self.dims = dims
        self.meanings = meanings
        self.key = key
        self.mode = "ok"
        self.requests = []
        self.in_flight = 0
        self.lock = threading.Lock()
        fake = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                req = json.loads(body)
                fake.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                      "body": req})
                if fake.mode == "stall":
                    with fake.lock:
                        fake.in_flight += 1
                    time.sleep(5)
                    with fake.lock:
                        fake.in_flight -= 1
                if fake.mode != "ok":
                    return self.answer(503, {"error": {"message": "overloaded"}})
                if self.path != "/v1/embeddings":
                    return self.answer(404, {"error": {"message": "no such path"}})
                if self.headers.get("Authorization") != "Bearer " + fake.key:
                    return self.answer(401, {"error": {"message": "Incorrect API key"}})
                data = [{"object": "embedding", "index": i,
                         "embedding": hashed_vector(t, fake.dims, fake.meanings)}
                        for i, t in enumerate(req["input"])]
                self.answer(200, {"object": "list", "data": data, "model": req["model"],
                                  "usage": {"prompt_tokens": 1, "total_tokens": 1}})

        self.serve(Handler)

    @property
    def base_url(self):
        return "http://127.0.0.1:%d/v1" % self.port

    def requests_in_flight(self):
        """Requests held by the stall at this moment."""
        with self.lock:
            return self.in_flight


class FakeChat(LoopbackServer):
    """A chat model on loopback speaking `protocol`: "openai" (POST /v1/chat/completions) or
    "anthropic" (POST /v1/messages). It answers the JSON the concierge asks for: the reply
    "MODEL: <the guest's last words>", or a hand-off when the guest writes "handoff-please".
    `mode` is "ok", "fail" (500) or "stall" (answers after `stall_s` seconds)."""

    def __init__(self, protocol="openai", key="sk-fake-chat-key"):
        self.protocol = protocol
        self.key = key
        self.mode = "ok"
        self.stall_s = 3
        self.requests = []
        fake = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                fake.requests.append({"path": self.path, "headers": dict(self.headers),
                                      "body": body})
                if fake.mode == "stall":
                    time.sleep(fake.stall_s)
                if fake.mode == "fail":
                    return self.answer(500, {"error": {"message": "internal error"}})
                openai = fake.protocol == "openai"
                path = "/v1/chat/completions" if openai else "/v1/messages"
                if self.path != path:
                    return self.answer(404, {"error": {"message": "no such path"}})
                auth = (self.headers.get("Authorization") if openai
                        else self.headers.get("x-api-key"))
                if auth != ("Bearer " + fake.key if openai else fake.key):
                    return self.answer(401, {"error": {"message": "bad key"}})
                last = body["messages"][-1]["content"]
                if "handoff-please" in last:
                    out = {"reply": "", "handoff": True, "reason": "asked for it"}
                else:
                    out = {"reply": "MODEL: " + last[-60:], "handoff": False}
                text = json.dumps(out)
                if openai:
                    self.answer(200, {"id": "c1", "object": "chat.completion", "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 100, "completion_tokens": 10}})
                else:
                    self.answer(200, {"id": "m1", "type": "message", "role": "assistant",
                                      "content": [{"type": "text", "text": text}],
                                      "stop_reason": "end_turn",
                                      "usage": {"input_tokens": 100, "output_tokens": 10}})

        self.serve(Handler)

    @property
    def base_url(self):
        return "http://127.0.0.1:%d%s" % (self.port, "/v1" if self.protocol == "openai" else "")
