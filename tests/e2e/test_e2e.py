#!/usr/bin/env python3
"""End-to-end tests: the real `jack` binary over loopback HTTP, and its CLI.

Starts `jack serve --demo --port 0 --port-file F --db TMPDIR/jack.db` (bcrypt cost 4) twice:
one server with JACK_RATE_LIMITS=off for most tests, one with rate limits on for the 429 tests.
Python 3 standard library only. JACK_BIN names the binary (CTest sets it); by default the
build tree's `build/jack` is used.
"""

import datetime
import http.client
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import schema_check  # noqa: E402
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
JACK_BIN = os.path.abspath(os.environ.get("JACK_BIN") or os.path.join(SOURCE_DIR, "build", "jack"))
with open(os.path.join(SOURCE_DIR, "data", "demo", "hotel.json"), encoding="utf-8") as _f:
    HOTEL = json.load(_f)

ADMIN = ("admin@miramar.example", "demo-admin-2026")


def demo_login(role):
    """The first demo staff member of `role` (email, password), from data/demo/hotel.json."""
    for s in HOTEL["staff"]:
        if s["role"] == role:
            return s["email"], s["password"]
    raise KeyError(role)


def demo_reservation():
    """A demo reservation's confirmation number and its guest's last name."""
    r = HOTEL["reservations"][0]
    guest = next(g for g in HOTEL["guests"] if g.get("email") == r["guestEmail"])
    return r["confirmationNumber"], guest["lastName"]


def clean_env(rate_limits):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("JACK_") or k == "JACK_SQLITE_VEC_PATH"}
    env["JACK_BCRYPT_COST"] = "4"
    env["JACK_RATE_LIMITS"] = "on" if rate_limits else "off"
    env["JACK_LOG_LEVEL"] = "warn"
    return env


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case names
        self.body = body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except (ValueError, UnicodeDecodeError):
            self.json = None

    def header(self, name):
        return self.headers.get(name.lower())

    def error_code(self):
        try:
            return self.json["error"]["code"]
        except (TypeError, KeyError):
            return None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:500].decode("utf-8", "replace"))


class Server:
    """One `jack serve --demo` process on a free loopback port, with its own database."""

    def __init__(self, rate_limits, extra_env=None):
        self.tmp = tempfile.mkdtemp(prefix="jack-e2e-")
        self.db = os.path.join(self.tmp, "jack.db")
        self.port_file = os.path.join(self.tmp, "port")
        self.env = clean_env(rate_limits)
        self.env.update(extra_env or {})
        self.stdout_path = os.path.join(self.tmp, "stdout.txt")
        self.stderr_path = os.path.join(self.tmp, "stderr.txt")
        self._out = open(self.stdout_path, "wb")
        self._err = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [JACK_BIN, "serve", "--demo", "--port", "0", "--port-file", self.port_file,
             "--db", self.db],
            stdout=self._out, stderr=self._err, env=self.env, cwd=self.tmp)
        deadline = time.time() + 120
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None:
                raise RuntimeError("jack serve exited with %s:\n%s\n%s" % (
                    self.proc.returncode, self.stdout(), self.stderr()))
            if time.time() > deadline:
                self.stop()
                raise RuntimeError("jack serve did not write its port file in time")
            time.sleep(0.05)
        with open(self.port_file) as f:
            self.port = int(f.read().strip())
        # The port file is written before "listening on" is printed; wait for both, and for the
        # knowledge index to follow the embedding provider (it is rebuilt in the background).
        while "listening on" not in self.stdout() and time.time() < deadline:
            time.sleep(0.05)
        while time.time() < deadline:
            ready = self._request("GET", "/health/ready")
            if ready.status == 200 and ready.json.get("knowledgeIndex") == "current":
                break
            time.sleep(0.02)

    def stdout(self):
        with open(self.stdout_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stderr(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        self._err.close()
        err = self.stderr()
        shutil.rmtree(self.tmp, ignore_errors=True)
        # Under the sanitizers (.ci/run), a report on the server's stderr fails the run.
        for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
            if marker in err:
                raise AssertionError("the server reported a sanitizer error:\n" + err[-4000:])

    # ---- HTTP ----

    doc = None  # the server's OpenAPI document, once enable_schema_checks() fetched it
    checked = 0

    def enable_schema_checks(self):
        """From now on every answer to request() is checked against the server's own OpenAPI
        document: its status is documented for the route and its JSON body fits the schema."""
        r = self.request("GET", "/api/v1/openapi.json")
        assert r.status == 200, r
        self.doc = r.json

    def request(self, method, path, body=None, headers=None, token=None, raw=None,
                content_type="application/json", check=True):
        r = self._request(method, path, body, headers, token, raw, content_type)
        if check and self.doc is not None and r.status != 405:
            template, _ = schema_check.best_operation(self.doc, method, path.split("?")[0])
            if template is not None:  # unknown routes (404) are not in the document
                schema_check.check_response(self.doc, method, path.split("?")[0], r.status,
                                            r.header("content-type"), r.json)
                Server.checked += 1
        return r

    def _request(self, method, path, body=None, headers=None, token=None, raw=None,
                 content_type="application/json"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode("utf-8")
        if data is not None and content_type and "Content-Type" not in h:
            h["Content-Type"] = content_type
        if token:
            h["Authorization"] = "Bearer " + token
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            payload = r.read()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, payload)
        finally:
            conn.close()

    def raw_exchange(self, data):
        """Sends raw bytes and returns the parsed status line, headers and body."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as s:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer and close before reading everything
            chunks = []
            while True:
                try:
                    c = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not c:
                    break
                chunks.append(c)
        reply = b"".join(chunks)
        head, _, body = reply.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        return Response(status, headers, body)

    def login(self, email, password):
        r = self.request("POST", "/api/v1/auth/login", {"email": email, "password": password})
        if r.status != 200:
            raise AssertionError("login %s failed: %r" % (email, r))
        return r.json["accessToken"]

    def new_session(self, **fields):
        r = self.request("POST", "/api/v1/webchat/sessions", fields)
        if r.status != 201:
            raise AssertionError("session: %r" % r)
        return r.json["token"]

    def chat(self, session, content):
        return self.request("POST", "/api/v1/webchat/messages", {"content": content},
                            token=session)

    def history(self, session):
        r = self.request("GET", "/api/v1/webchat/messages?limit=200", token=session)
        if r.status != 200:
            raise AssertionError("history: %r" % r)
        return r.json["items"]


def run_cli(args, env, cwd, stdin=None):
    return subprocess.run([JACK_BIN] + args, env=env, cwd=cwd, input=stdin,
                          capture_output=True, timeout=120)


# =============================================================================================
# Server with rate limits off
# =============================================================================================

class JackE2E(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server(rate_limits=False)
        s = cls.server
        s.enable_schema_checks()
        cls.admin = s.login(*ADMIN)
        cls.manager = s.login(*demo_login("manager"))
        cls.front_desk = s.login(*demo_login("front_desk"))
        cls.concierge = s.login(*demo_login("concierge"))
        cls.housekeeping = s.login(*demo_login("housekeeping"))

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.stop()

    @property
    def s(self):
        return self.server

    def assertError(self, r, status, code):
        self.assertEqual(r.status, status, r)
        self.assertIsInstance(r.json, dict, r)
        self.assertEqual(set(r.json.keys()), {"error"}, r)
        self.assertEqual(r.error_code(), code, r)
        self.assertIsInstance(r.json["error"].get("message"), str, r)
        self.assertIsInstance(r.json["error"].get("details"), dict, r)

    # ---- start-up ----

    def test_demo_logins_are_printed(self):
        out = self.s.stdout()
        self.assertIn("listening on http://127.0.0.1:%d" % self.s.port, out)
        for staff in HOTEL["staff"]:
            self.assertIn(staff["email"], out)
            self.assertIn(staff["password"], out)

    # ---- operations ----

    def test_health(self):
        r = self.s.request("GET", "/health")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"status": "ok"})
        self.assertTrue(r.header("X-Request-Id"))
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        echoed = self.s.request("GET", "/health", headers={"X-Request-Id": "e2e-req-42"})
        self.assertEqual(echoed.header("X-Request-Id"), "e2e-req-42")

    def test_health_ready(self):
        r = self.s.request("GET", "/health/ready")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json.get("status"), "ready")

    def test_every_response_has_request_id_and_security_headers(self):
        for method, path in [("GET", "/api/v1/nope"), ("GET", "/api/v1/tasks"),
                             ("POST", "/health")]:
            r = self.s.request(method, path)
            self.assertTrue(r.header("X-Request-Id"), (method, path))
            self.assertEqual(r.header("X-Content-Type-Options"), "nosniff", (method, path))

    # ---- auth ----

    def test_login_good(self):
        r = self.s.request("POST", "/api/v1/auth/login",
                           {"email": ADMIN[0], "password": ADMIN[1]})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["accessToken"])
        self.assertEqual(r.json["tokenType"], "Bearer")
        self.assertEqual(r.json["user"]["email"], ADMIN[0])
        self.assertEqual(r.json["user"]["role"], "admin")
        me = self.s.request("GET", "/api/v1/auth/me", token=r.json["accessToken"])
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json["email"], ADMIN[0])

    def test_login_wrong_password(self):
        r = self.s.request("POST", "/api/v1/auth/login",
                           {"email": ADMIN[0], "password": "wrong-password-1"})
        self.assertError(r, 401, "UNAUTHORIZED")
        unknown = self.s.request("POST", "/api/v1/auth/login",
                                 {"email": "nobody@miramar.example", "password": "x"})
        self.assertError(unknown, 401, "UNAUTHORIZED")
        self.assertEqual(r.json, unknown.json, "the same answer for a wrong email or password")

    def test_missing_token(self):
        r = self.s.request("GET", "/api/v1/tasks")
        self.assertError(r, 401, "UNAUTHORIZED")

    def test_bad_tokens(self):
        for tok in ["garbage", "a.b.c", self.admin[:-3] + "abc",
                    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + self.admin.split(".")[1] + "."]:
            r = self.s.request("GET", "/api/v1/tasks", token=tok)
            self.assertError(r, 401, "UNAUTHORIZED")
        r = self.s.request("GET", "/api/v1/tasks", headers={"Authorization": "Basic YTpi"})
        self.assertError(r, 401, "UNAUTHORIZED")

    def test_auth_is_checked_before_the_body(self):
        # api.md: a missing token is 401, whatever the request holds; an anonymous client
        # must not learn how the server validates settings or knowledge entries.
        r = self.s.request("PUT", "/api/v1/settings/embeddings.model", {"value": "x"})
        self.assertError(r, 401, "UNAUTHORIZED")
        r = self.s.request("POST", "/api/v1/knowledge", {"category": "bogus"})
        self.assertError(r, 401, "UNAUTHORIZED")

    def test_permission_is_checked_before_the_body(self):
        # A token without the permission is 403 whatever the body: the caller learns nothing
        # of the body rules of an endpoint it may not use.
        for method, path in [("POST", "/api/v1/knowledge"),
                             ("PUT", "/api/v1/settings/hotel.name"),
                             ("PUT", "/api/v1/reservations/NOPE-1"),
                             ("POST", "/api/v1/conversations/x/assign")]:
            r = self.s.request(method, path, {}, token=self.housekeeping)
            self.assertError(r, 403, "FORBIDDEN")
            self.assertTrue(r.json["error"]["details"].get("permission"), r)

    # ---- edge errors ----

    def test_unknown_route(self):
        r = self.s.request("GET", "/api/v1/does-not-exist")
        self.assertError(r, 404, "NOT_FOUND")

    def test_wrong_method(self):
        r = self.s.request("POST", "/health")
        self.assertError(r, 405, "METHOD_NOT_ALLOWED")
        self.assertIn("GET", r.header("Allow") or "")
        r = self.s.request("DELETE", "/api/v1/tasks", token=self.admin)
        self.assertError(r, 405, "METHOD_NOT_ALLOWED")

    def test_malformed_json(self):
        r = self.s.request("POST", "/api/v1/auth/login", raw=b'{"email": "a@b.c", "password": ')
        self.assertError(r, 400, "VALIDATION_ERROR")
        r = self.s.request("POST", "/api/v1/auth/login", raw=b"[1, 2, 3]")
        self.assertError(r, 400, "VALIDATION_ERROR")
        r = self.s.request("POST", "/api/v1/auth/login", raw=b'{"email": "\xff\xfe"}')
        self.assertError(r, 400, "VALIDATION_ERROR")
        deep = b'{"a":' + b"[" * 100 + b"]" * 100 + b"}"
        r = self.s.request("POST", "/api/v1/auth/login", raw=deep)
        self.assertError(r, 400, "VALIDATION_ERROR")

    def test_wrong_types(self):
        session = self.s.new_session()
        r = self.s.request("POST", "/api/v1/webchat/messages", {"content": 5}, token=session)
        self.assertError(r, 400, "VALIDATION_ERROR")
        errors = r.json["error"]["details"]["errors"]
        self.assertEqual(errors[0]["path"], "content")
        self.assertEqual(self.s.history(session), [], "nothing stored")

    def test_body_too_large(self):
        # api.md / server: API bodies are limited to 64 KiB (webhooks to 1 MiB).
        big = {"email": "a@b.example", "password": "x" * (70 * 1024)}
        r = self.s.request("POST", "/api/v1/auth/login", big)
        self.assertError(r, 413, "PAYLOAD_TOO_LARGE")
        session = self.s.new_session()
        r = self.s.request("POST", "/api/v1/webchat/messages", {"content": "y" * (65 * 1024)},
                           token=session)
        self.assertError(r, 413, "PAYLOAD_TOO_LARGE")

    def test_unsupported_media_type(self):
        r = self.s.request("POST", "/api/v1/auth/login",
                           raw=json.dumps({"email": ADMIN[0], "password": ADMIN[1]}).encode(),
                           content_type="text/plain")
        self.assertError(r, 415, "UNSUPPORTED_MEDIA_TYPE")

    def test_headers_too_large(self):
        data = (b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * (20 * 1024) +
                b"\r\nConnection: close\r\n\r\n")
        r = self.s.raw_exchange(data)
        self.assertEqual(r.status, 431, r)
        self.assertEqual(r.error_code(), "HEADERS_TOO_LARGE", r)

    def test_garbage_request_line(self):
        r = self.s.raw_exchange(b"THIS IS NOT HTTP\r\n\r\n")
        self.assertEqual(r.status, 400, r)

    # ---- permissions ----

    def test_housekeeping_cannot_read_conversations(self):
        session = self.s.new_session()
        sent = self.s.chat(session, "Hello!")
        self.assertEqual(sent.status, 200, sent)
        conv = sent.json["conversationId"]
        r = self.s.request("GET", "/api/v1/conversations/" + conv, token=self.housekeeping)
        self.assertError(r, 403, "FORBIDDEN")
        self.assertEqual(r.json["error"]["details"]["permission"], "conversation.view")
        r = self.s.request("GET", "/api/v1/conversations/%s/messages" % conv,
                           token=self.housekeeping)
        self.assertError(r, 403, "FORBIDDEN")
        ok = self.s.request("GET", "/api/v1/conversations/" + conv, token=self.front_desk)
        self.assertEqual(ok.status, 200, ok)
        missing = self.s.request("GET", "/api/v1/conversations/no-such-id", token=self.admin)
        self.assertError(missing, 404, "NOT_FOUND")

    # ---- web chat ----

    def test_webchat_towel_request_flow(self):
        r = self.s.request("POST", "/api/v1/webchat/sessions", {})
        self.assertEqual(r.status, 201, r)
        self.assertTrue(r.json["sessionId"])
        self.assertTrue(r.json["token"])
        session = r.json["token"]

        content = "Could you send 2 towels to room 1204 please?"
        sent = self.s.chat(session, content)
        self.assertEqual(sent.status, 200, sent)
        msg = sent.json["message"]
        self.assertEqual(msg["senderType"], "guest")
        self.assertEqual(msg["direction"], "inbound")
        self.assertEqual(msg["content"], content)
        for staff_only in ("intent", "confidence", "entities", "senderId"):
            self.assertNotIn(staff_only, msg, "public message shape")
        self.assertEqual(len(sent.json["replies"]), 1, sent)
        reply = sent.json["replies"][0]
        self.assertEqual(reply["direction"], "outbound")
        self.assertEqual(reply["senderType"], "ai")
        self.assertTrue(reply["content"])
        conv = sent.json["conversationId"]
        self.assertEqual(msg["conversationId"], conv)

        tasks = self.s.request("GET", "/api/v1/tasks?conversationId=" + conv, token=self.admin)
        self.assertEqual(tasks.status, 200, tasks)
        self.assertIn("nextCursor", tasks.json)
        items = tasks.json["items"]
        self.assertEqual(len(items), 1, items)
        t = items[0]
        self.assertEqual(t["department"], "housekeeping")
        self.assertEqual(t["type"], "housekeeping")
        self.assertEqual(t["roomNumber"], "1204")
        self.assertEqual(t["items"], [{"item": "towel", "quantity": 2}])
        self.assertEqual(t["status"], "pending")
        self.assertEqual(t["conversationId"], conv)

        msgs = self.s.request("GET", "/api/v1/conversations/%s/messages" % conv,
                              token=self.front_desk)
        self.assertEqual(msgs.status, 200, msgs)
        items = msgs.json["items"]
        self.assertEqual(len(items), 2, items)
        first = items[0]
        self.assertEqual(first["direction"], "inbound", "oldest first")
        self.assertEqual(first["content"], content)
        self.assertEqual(first["intent"], "request.housekeeping")
        self.assertIsInstance(first["confidence"], (int, float))
        self.assertGreater(first["confidence"], 0)
        self.assertIsInstance(first["entities"], list)
        types = {e["type"] for e in first["entities"]}
        self.assertTrue({"item", "quantity", "room_number"} <= types, first["entities"])
        self.assertEqual(items[1]["direction"], "outbound")
        self.assertLessEqual(items[0]["createdAt"], items[1]["createdAt"])

        # The guest's own history: the same two messages, public shape.
        hist = self.s.history(session)
        self.assertEqual([m["id"] for m in hist], [m["id"] for m in items])

    def test_webchat_human_request_escalates(self):
        session = self.s.new_session(name="Grace Hopper")
        sent = self.s.chat(session, "Can I talk to a real person please")
        self.assertEqual(sent.status, 200, sent)
        self.assertEqual(len(sent.json["replies"]), 1, sent)
        self.assertEqual(sent.json["replies"][0]["senderType"], "system")
        conv = sent.json["conversationId"]
        c = self.s.request("GET", "/api/v1/conversations/" + conv, token=self.admin)
        self.assertEqual(c.status, 200, c)
        self.assertEqual(c.json["state"], "escalated")
        after = self.s.chat(session, "Hello? Anyone there?")
        self.assertEqual(after.status, 200, after)
        self.assertEqual(after.json["replies"], [])
        again = self.s.chat(session, "Could you send 2 towels to room 1204 please?")
        self.assertEqual(again.json["replies"], [], "the AI stays silent after a hand-off")
        inbound = [m for m in self.s.history(session) if m["direction"] == "inbound"]
        self.assertEqual(len(inbound), 3, "every guest message is stored")

    def test_staff_take_over_resolve_and_hand_back(self):
        session = self.s.new_session(name="Ada Lovelace")
        sent = self.s.chat(session, "I want to speak to a manager")
        conv = sent.json["conversationId"]
        fd_id = self.s.request("GET", "/api/v1/auth/me", token=self.front_desk).json["id"]
        path = "/api/v1/conversations/%s/" % conv
        self.assertError(self.s.request("POST", path + "assign", {"staffId": fd_id},
                                        token=self.front_desk), 403, "FORBIDDEN")
        self.assertError(self.s.request("POST", path + "assign", {"staffId": "nobody"},
                                        token=self.manager), 400, "VALIDATION_ERROR")
        self.assertError(self.s.request("POST", path + "assign", {}, token=self.manager),
                         400, "VALIDATION_ERROR")
        a = self.s.request("POST", path + "assign", {"staffId": fd_id}, token=self.manager)
        self.assertEqual(a.status, 200, a)
        self.assertEqual(a.json["assignedTo"], fd_id)
        hb = self.s.request("POST", path + "handback", None, token=self.front_desk)
        self.assertEqual(hb.status, 200, hb)
        self.assertEqual((hb.json["state"], hb.json["assignedTo"]), ("active", None))
        # The AI answers again after the hand-back.
        again = self.s.chat(session, "What time is breakfast?")
        self.assertEqual(len(again.json["replies"]), 1, again)
        r = self.s.request("POST", path + "resolve", {"resolution": "answered"},
                           token=self.front_desk)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["state"], "resolved")
        self.assertTrue(r.json["resolvedAt"])
        twice = self.s.request("POST", path + "resolve", None, token=self.front_desk)
        self.assertEqual(twice.status, 200, twice)
        self.assertEqual(twice.json["resolvedAt"], r.json["resolvedAt"])
        self.assertError(self.s.request("POST", path + "handback", None, token=self.front_desk),
                         409, "CONFLICT")
        self.assertError(self.s.request("POST", "/api/v1/conversations/nope/resolve", None,
                                        token=self.front_desk), 404, "NOT_FOUND")

    def test_task_life_cycle(self):
        session = self.s.new_session()
        sent = self.s.chat(session, "Could you bring 3 pillows to room 808?")
        conv = sent.json["conversationId"]
        tasks = self.s.request("GET", "/api/v1/tasks?conversationId=" + conv, token=self.admin)
        tid = tasks.json["items"][0]["id"]
        hk_id = self.s.request("GET", "/api/v1/auth/me", token=self.housekeeping).json["id"]
        path = "/api/v1/tasks/%s/" % tid
        self.assertError(self.s.request("POST", path + "complete", None,
                                        token=self.housekeeping), 409, "CONFLICT")
        st = self.s.request("POST", path + "start", None, token=self.housekeeping)
        self.assertEqual(st.status, 200, st)
        self.assertEqual((st.json["status"], st.json["assignedTo"]), ("in_progress", hk_id))
        self.assertTrue(st.json["startedAt"])
        self.assertError(self.s.request("POST", path + "assign", {"staffId": hk_id},
                                        token=self.housekeeping), 403, "FORBIDDEN")
        done = self.s.request("POST", path + "complete", {"completionNotes": "left at the door"},
                              token=self.housekeeping)
        self.assertEqual(done.status, 200, done)
        self.assertEqual(done.json["status"], "completed")
        self.assertEqual(done.json["completionNotes"], "left at the door")
        self.assertError(self.s.request("POST", path + "cancel", None, token=self.housekeeping),
                         409, "CONFLICT")
        self.assertError(self.s.request("POST", path + "complete", {"completionNotes": 5},
                                        token=self.housekeeping), 400, "VALIDATION_ERROR")

    def test_webchat_identify(self):
        conf, last = demo_reservation()
        session = self.s.new_session()
        wrong = self.s.request("POST", "/api/v1/webchat/identify",
                               {"confirmationNumber": conf, "lastName": "Notthename"},
                               token=session)
        self.assertError(wrong, 404, "NOT_FOUND")
        unknown = self.s.request("POST", "/api/v1/webchat/identify",
                                 {"confirmationNumber": "NOPE-1", "lastName": last},
                                 token=session)
        self.assertError(unknown, 404, "NOT_FOUND")
        ok = self.s.request("POST", "/api/v1/webchat/identify",
                            {"confirmationNumber": conf, "lastName": last.upper()},
                            token=session)
        self.assertEqual(ok.status, 200, ok)
        self.assertTrue(ok.json.get("verified"))
        no_session = self.s.request("POST", "/api/v1/webchat/identify",
                                    {"confirmationNumber": conf, "lastName": last})
        self.assertError(no_session, 401, "UNAUTHORIZED")

    def test_webchat_content_too_long(self):
        session = self.s.new_session()
        first = self.s.chat(session, "Hello")
        self.assertEqual(first.status, 200, first)
        before = self.s.history(session)
        r = self.s.chat(session, "a" * 4001)
        self.assertError(r, 400, "VALIDATION_ERROR")
        self.assertEqual(r.json["error"]["details"]["errors"][0]["path"], "content")
        self.assertEqual(self.s.history(session), before, "nothing stored")
        # 4000 characters of multi-byte text are within the limit.
        ok = self.s.chat(session, "é" * 4000)
        self.assertEqual(ok.status, 200, ok)

    def test_webchat_bad_session(self):
        r = self.s.request("POST", "/api/v1/webchat/messages", {"content": "hi"},
                           token="not-a-session")
        self.assertError(r, 401, "UNAUTHORIZED")
        r = self.s.request("GET", "/api/v1/webchat/messages")
        self.assertError(r, 401, "UNAUTHORIZED")
        # A staff access token is not a web-chat session.
        r = self.s.request("GET", "/api/v1/webchat/messages", token=self.admin)
        self.assertError(r, 401, "UNAUTHORIZED")

    def test_webchat_text_survives_byte_for_byte(self):
        session = self.s.new_session()
        text = "👨‍👩‍👧 مرحبا 日本語 e\u0301 <script>alert(1)</script> '; DROP TABLE messages; --"
        sent = self.s.chat(session, text)
        self.assertEqual(sent.status, 200, sent)
        self.assertEqual(sent.json["message"]["content"], text)
        self.assertEqual(self.s.history(session)[0]["content"], text)

    # ---- settings ----

    def test_settings(self):
        r = self.s.request("PUT", "/api/v1/settings/escalation.threshold", {"value": "0.5"},
                           token=self.admin)
        try:
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["value"], "0.5")
            listed = self.s.request("GET", "/api/v1/settings", token=self.admin)
            self.assertEqual(listed.status, 200, listed)
            values = {i["key"]: i["value"] for i in listed.json["items"]}
            self.assertEqual(values.get("escalation.threshold"), "0.5")
        finally:
            self.s.request("PUT", "/api/v1/settings/escalation.threshold", {"value": "0.7"},
                           token=self.admin)
        bad = self.s.request("PUT", "/api/v1/settings/embeddings.model",
                             {"value": "local-hash-384"}, token=self.admin)
        self.assertError(bad, 400, "VALIDATION_ERROR")
        bad = self.s.request("PUT", "/api/v1/settings/escalation.threshold", {"value": "1.5"},
                             token=self.admin)
        self.assertError(bad, 400, "VALIDATION_ERROR")
        forbidden = self.s.request("PUT", "/api/v1/settings/escalation.threshold",
                                   {"value": "0.6"}, token=self.manager)
        self.assertError(forbidden, 403, "FORBIDDEN")
        self.assertEqual(forbidden.json["error"]["details"]["permission"], "settings.edit")

    # ---- reservations and guests ----

    def test_reservation_upsert_and_guest_redaction(self):
        today = datetime.date.today()
        body = {
            "guest": {"firstName": "Nina", "lastName": "Novak", "email": "Nina.Novak@example.com",
                      "phone": "+386 40 123 456"},
            "roomNumber": "701",
            "roomType": "Deluxe Double",
            "arrivalDate": today.isoformat(),
            "departureDate": (today + datetime.timedelta(days=2)).isoformat(),
            "status": "confirmed",
            "totalRate": 300.0,
            "rateCode": "BAR",
        }
        created = self.s.request("PUT", "/api/v1/reservations/NEW-1", body, token=self.admin)
        self.assertEqual(created.status, 201, created)
        self.assertEqual(created.json["confirmationNumber"], "NEW-1")
        self.assertEqual(created.json["roomNumber"], "701")
        body["roomNumber"] = "702"
        updated = self.s.request("PUT", "/api/v1/reservations/NEW-1", body, token=self.admin)
        self.assertEqual(updated.status, 200, updated)
        self.assertEqual(updated.json["roomNumber"], "702")
        self.assertEqual(updated.json["id"], created.json["id"])

        # Without guest.view_financial the reservation's money is absent.
        fd = self.s.request("PUT", "/api/v1/reservations/NEW-1", body, token=self.front_desk)
        self.assertEqual(fd.status, 200, fd)
        for k in ("totalRate", "balance", "rateCode"):
            self.assertNotIn(k, fd.json)

        q = "/api/v1/guests?email=nina.novak%40example.com"
        for name, token in (("concierge", self.concierge), ("front_desk", self.front_desk),
                            ("manager", self.manager)):
            r = self.s.request("GET", q, token=token)
            self.assertEqual(r.status, 200, (name, r))
            self.assertEqual(len(r.json["items"]), 1, (name, r))
            g = r.json["items"][0]
            self.assertEqual(g["lastName"], "Novak")
            self.assertEqual(g["email"], "nina.novak@example.com",
                             "%s has guest.view_contact" % name)
            if name == "manager":
                self.assertIn("totalRevenue", g, "manager has guest.view_financial")
            else:
                self.assertNotIn("totalRevenue", g, "%s lacks guest.view_financial" % name)
        hk = self.s.request("GET", q, token=self.housekeeping)
        self.assertError(hk, 403, "FORBIDDEN")
        self.assertEqual(hk.json["error"]["details"]["permission"], "guest.view")

        bad = dict(body, departureDate="2000-01-01")
        r = self.s.request("PUT", "/api/v1/reservations/NEW-2", bad, token=self.admin)
        self.assertError(r, 400, "VALIDATION_ERROR")
        paths = [e["path"] for e in r.json["error"]["details"]["errors"]]
        self.assertIn("departureDate", paths)

    def test_guest_view_export_and_erasure(self):
        today = datetime.date.today()
        body = {
            "guest": {"firstName": "Oriel", "lastName": "Pemberton-Vask",
                      "email": "oriel.pv@example.net", "phone": "+44 7700 900456"},
            "roomNumber": "512", "roomType": "Junior Suite",
            "arrivalDate": today.isoformat(),
            "departureDate": (today + datetime.timedelta(days=3)).isoformat(),
            "status": "confirmed",
            "specialRequests": ["Oriel asks for a late checkout"],
        }
        r = self.s.request("PUT", "/api/v1/reservations/ERASE-1", body, token=self.admin)
        self.assertEqual(r.status, 201, r)
        gid = r.json["guestId"]

        # guest.view is audited once per login session, not per read.
        for _ in range(3):
            g = self.s.request("GET", "/api/v1/guests/" + gid, token=self.front_desk)
            self.assertEqual(g.status, 200, g)
            self.assertEqual(g.json["lastName"], "Pemberton-Vask")
        with sqlite3.connect(self.s.db) as con:
            views = con.execute("SELECT count(*) FROM audit_log WHERE action = 'guest.view' "
                                "AND resource_id = ?", (gid,)).fetchone()[0]
        con.close()
        self.assertEqual(views, 1)
        self.assertError(self.s.request("GET", "/api/v1/guests/nope", token=self.admin),
                         404, "NOT_FOUND")

        # Export: guest.view + analytics.export.
        self.assertError(self.s.request("GET", "/api/v1/guests/%s/export" % gid,
                                        token=self.front_desk), 403, "FORBIDDEN")
        ex = self.s.request("GET", "/api/v1/guests/%s/export" % gid, token=self.manager)
        self.assertEqual(ex.status, 200, ex)
        self.assertEqual(ex.json["guest"]["email"], "oriel.pv@example.net")
        self.assertEqual(ex.json["reservations"][0]["confirmationNumber"], "ERASE-1")

        # Erasure: guest.delete (admin only by default) → 204, then nothing is left.
        self.assertError(self.s.request("DELETE", "/api/v1/guests/" + gid, token=self.manager),
                         403, "FORBIDDEN")
        d = self.s.request("DELETE", "/api/v1/guests/" + gid, token=self.admin)
        self.assertEqual(d.status, 204, d)
        raw = b""
        for path in (self.s.db, self.s.db + "-wal"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    raw += f.read()
        for needle in (b"Oriel", b"Pemberton", b"oriel.pv@example.net", b"447700900456"):
            self.assertNotIn(needle, raw)
        after = self.s.request("GET", "/api/v1/guests/" + gid, token=self.admin)
        self.assertEqual(after.status, 200, after)
        self.assertEqual((after.json["firstName"], after.json["lastName"]), ("Erased", "Guest"))
        self.assertIsNone(after.json.get("email"))
        self.assertError(self.s.request("DELETE", "/api/v1/guests/" + gid, token=self.admin),
                         404, "NOT_FOUND")

    # ---- knowledge ----

    def test_new_knowledge_is_answered_in_web_chat(self):
        entry = {
            "category": "amenity",
            "title": "Rooftop cinema",
            "content": "The rooftop cinema shows classic films every Friday at 21:30. "
                       "Blankets and popcorn are free for hotel guests.",
            "keywords": ["cinema", "movie", "film", "rooftop"],
        }
        r = self.s.request("POST", "/api/v1/knowledge", entry, token=self.admin)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["title"], "Rooftop cinema")
        forbidden = self.s.request("POST", "/api/v1/knowledge", entry, token=self.front_desk)
        self.assertError(forbidden, 403, "FORBIDDEN")
        session = self.s.new_session()
        sent = self.s.chat(session, "When does the rooftop cinema show films?")
        self.assertEqual(sent.status, 200, sent)
        replies = sent.json["replies"]
        self.assertEqual(len(replies), 1, sent)
        self.assertIn("21:30", replies[0]["content"])

    # ---- CLI ----

    def test_cli_db_status(self):
        r = run_cli(["db", "status", "--db", self.s.db], self.s.env, self.s.tmp)
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 0, (out, r.stderr))
        self.assertIn("applied 001_init.sql", out)
        self.assertNotIn("pending", out)

    def test_cli_staff_add_bad_role(self):
        r = run_cli(["staff", "add", "--email", "x@miramar.example", "--name", "X",
                     "--role", "janitor", "--db", self.s.db], self.s.env, self.s.tmp)
        self.assertNotEqual(r.returncode, 0)
        err = r.stderr.decode().strip()
        self.assertTrue(err, "an error message on stderr")
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("role", err)

    def test_cli_staff_add_and_login(self):
        r = run_cli(["staff", "add", "--email", "night@miramar.example", "--name", "Night Desk",
                     "--role", "front_desk", "--password-stdin", "--db", self.s.db],
                    self.s.env, self.s.tmp, stdin=b"night-desk-password\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        token = self.s.login("night@miramar.example", "night-desk-password")
        me = self.s.request("GET", "/api/v1/auth/me", token=token)
        self.assertEqual(me.json["role"], "front_desk")
        dup = run_cli(["staff", "add", "--email", "night@miramar.example", "--name", "Again",
                       "--role", "front_desk", "--db", self.s.db], self.s.env, self.s.tmp)
        self.assertNotEqual(dup.returncode, 0)

    # ---- last: the server survived everything above ----

    def test_zz_server_survived(self):
        self.assertTrue(self.s.alive(), self.s.stderr())
        r = self.s.request("GET", "/health")
        self.assertEqual(r.status, 200, r)
        ready = self.s.request("GET", "/health/ready")
        self.assertEqual(ready.status, 200, ready)


# =============================================================================================
# Server with rate limits on
# =============================================================================================

class JackRateLimitsE2E(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server(rate_limits=True)

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.stop()

    def test_identify_locks_after_five_wrong_tries(self):
        s = self.server
        conf, last = demo_reservation()
        session = s.new_session()
        for i in range(5):
            r = s.request("POST", "/api/v1/webchat/identify",
                          {"confirmationNumber": conf, "lastName": "Wrong%d" % i}, token=session)
            self.assertEqual(r.status, 404, (i, r))
        r = s.request("POST", "/api/v1/webchat/identify",
                      {"confirmationNumber": conf, "lastName": "Wrong5"}, token=session)
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.error_code(), "RATE_LIMITED")
        self.assertTrue(r.header("Retry-After"))
        self.assertGreater(int(r.header("Retry-After")), 0)
        # Locked even for the right answer, and from a new session on the same address.
        right = s.request("POST", "/api/v1/webchat/identify",
                          {"confirmationNumber": conf, "lastName": last}, token=session)
        self.assertEqual(right.status, 429, right)
        other = s.request("POST", "/api/v1/webchat/identify",
                          {"confirmationNumber": conf, "lastName": last},
                          token=s.new_session())
        self.assertEqual(other.status, 429, other)

    def test_eleventh_message_in_a_minute_is_refused_and_not_stored(self):
        s = self.server
        session = s.new_session()
        for i in range(10):
            r = s.chat(session, "Hello, message number %d" % (i + 1))
            self.assertEqual(r.status, 200, (i, r))
        r = s.chat(session, "Hello, message number 11")
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.error_code(), "RATE_LIMITED")
        self.assertTrue(r.header("Retry-After"))
        self.assertGreater(int(r.header("Retry-After")), 0)
        contents = [m["content"] for m in s.history(session) if m["direction"] == "inbound"]
        self.assertEqual(len(contents), 10, contents)
        self.assertNotIn("Hello, message number 11", contents)
        # Another session is not affected.
        self.assertEqual(s.chat(s.new_session(), "Hello").status, 200)

    def test_login_locks_after_five_failures(self):
        s = self.server
        for i in range(5):
            r = s.request("POST", "/api/v1/auth/login",
                          {"email": "manager@miramar.example", "password": "wrong-%d" % i})
            self.assertEqual(r.status, 401, (i, r))
        r = s.request("POST", "/api/v1/auth/login",
                      {"email": "manager@miramar.example", "password": "wrong-5"})
        self.assertEqual(r.status, 429, r)
        self.assertTrue(r.header("Retry-After"))

    def test_zz_server_survived(self):
        self.assertTrue(self.server.alive(), self.server.stderr())
        self.assertEqual(self.server.request("GET", "/health").status, 200)


# =============================================================================================
# The data life-cycle commands on a database of their own (no server)
# =============================================================================================

class KillNineE2E(unittest.TestCase):
    """R1: a message acknowledged to the guest is stored, whatever happens to the server."""

    def test_every_acknowledged_message_survives_kill_nine_during_load(self):
        server = Server(rate_limits=False)
        acked = []
        lock = threading.Lock()
        stop = threading.Event()

        def guest():
            try:
                session = server.new_session()
            except Exception:  # the server may already be gone
                return
            i = 0
            while not stop.is_set():
                i += 1
                text = "towels please %s %d" % (session[:6], i)
                try:
                    r = server.chat(session, text)
                except Exception:
                    return
                if r.status == 200:
                    with lock:
                        acked.append(r.json["message"]["id"])
        threads = [threading.Thread(target=guest) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        os.kill(server.proc.pid, 9)
        stop.set()
        for t in threads:
            t.join()
        server.proc.wait()
        self.assertGreater(len(acked), 50, "the load ran")
        con = sqlite3.connect(server.db)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        stored = {row[0] for row in con.execute("SELECT id FROM messages")}
        con.close()
        missing = [m for m in acked if m not in stored]
        self.assertEqual(missing, [], "acknowledged but lost")
        # And the server starts again on that file.
        os.remove(server.port_file)
        again = subprocess.Popen([JACK_BIN, "serve", "--port", "0", "--port-file",
                                  server.port_file, "--db", server.db],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=server.env)
        try:
            deadline = time.time() + 30
            while not os.path.exists(server.port_file) and time.time() < deadline:
                time.sleep(0.05)
            self.assertTrue(os.path.exists(server.port_file), "restarted")
        finally:
            again.terminate()
            again.wait()
            server.stop()


class DemoWithAdminE2E(unittest.TestCase):
    """`serve --demo` on an empty database also creates JACK_ADMIN_EMAIL's admin."""

    def test_the_configured_admin_can_log_in_beside_the_demo_staff(self):
        server = Server(rate_limits=False, extra_env={
            "JACK_ADMIN_EMAIL": "it@hotel.example",
            "JACK_ADMIN_PASSWORD": "a-long-admin-password-1"})
        try:
            token = server.login("it@hotel.example", "a-long-admin-password-1")
            me = server.request("GET", "/api/v1/auth/me", token=token)
            self.assertEqual(me.json["role"], "admin", me)
            server.login(*ADMIN)  # the demo's own staff are there too
        finally:
            server.stop()


class DataCommandsE2E(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="jack-cli-")
        self.env = clean_env(rate_limits=False)
        self.db = os.path.join(self.tmp, "jack.db")
        r = run_cli(["seed", "demo", "--db", self.db], self.env, self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(self.db)
        self.guest_id, self.email, self.last = con.execute(
            "SELECT id, email, last_name FROM guests WHERE email IS NOT NULL ORDER BY id "
            "LIMIT 1").fetchone()
        con.close()

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def cli(self, *args, cwd=None):
        return run_cli(list(args) + ["--db", self.db], self.env, cwd or self.tmp)

    def assertOneLineError(self, r, *words):
        self.assertNotEqual(r.returncode, 0, r.stdout)
        err = r.stderr.decode().strip()
        self.assertEqual(len(err.splitlines()), 1, err)
        for w in words:
            self.assertIn(w, err)

    def test_kb_import_markdown_and_json_all_or_nothing(self):
        md = os.path.join(self.tmp, "kb.md")
        with open(md, "w", encoding="utf-8") as f:
            f.write("Notes before the first entry are ignored.\n\n"
                    "## Sauna hours\nCategory: amenity\nKeywords: sauna, steam\n\n"
                    "The sauna is open from 07:00 to 22:00.\n\n"
                    "## Horário do pequeno-almoço\nCategory: menu\nLanguage: pt\n"
                    "O pequeno-almoço é servido das 07:00 às 10:30.\n")
        r = self.cli("kb", "import", md)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"imported 2", r.stdout)
        con = sqlite3.connect(self.db)
        row = con.execute("SELECT category, content, keywords, language FROM knowledge_base "
                          "WHERE title = 'Sauna hours'").fetchone()
        self.assertEqual(row[0], "amenity")
        self.assertEqual(row[1], "The sauna is open from 07:00 to 22:00.")
        self.assertEqual(json.loads(row[2]), ["sauna", "steam"])
        self.assertEqual(con.execute("SELECT language FROM knowledge_base WHERE title LIKE "
                                     "'Hor%'").fetchone()[0], "pt")
        hits = con.execute("SELECT count(*) FROM knowledge_fts WHERE knowledge_fts MATCH "
                           "'sauna'").fetchone()[0]
        self.assertGreaterEqual(hits, 1, "searchable at once")
        before = con.execute("SELECT count(*) FROM knowledge_base").fetchone()[0]
        con.close()
        bad = os.path.join(self.tmp, "kb.json")
        with open(bad, "w") as f:
            json.dump([{"category": "faq", "title": "Fine", "content": "ok"},
                       {"category": "bogus", "title": "Broken", "content": "x"}], f)
        r = self.cli("kb", "import", bad)
        self.assertOneLineError(r, "entry 2", "category")
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM knowledge_base").fetchone()[0],
                         before, "nothing of a refused file is imported")
        con.close()

    def test_reservations_import_csv_reports_rejected_rows(self):
        today = datetime.date.today()
        csv_path = os.path.join(self.tmp, "pms.csv")
        with open(csv_path, "w", encoding="utf-8") as f:
            f.write("confirmation_number,first_name,last_name,email,room_number,room_type,"
                    "arrival_date,departure_date\n"
                    "CLI-1,Ana,Import,ana.import@example.com,301,Double,%s,%s\n"
                    "CLI-2,Bo,Bad,bo@example.com,302,Double,someday,%s\n" % (
                        today, today + datetime.timedelta(days=2),
                        today + datetime.timedelta(days=2)))
        r = self.cli("reservations", "import", csv_path)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(b"created 1, updated 0, rejected 1", r.stdout)
        self.assertIn(b"CLI-2", r.stderr)
        self.assertIn(b"arrivalDate", r.stderr)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT room_number FROM reservations WHERE "
                                     "confirmation_number = 'CLI-1'").fetchone()[0], "301")
        con.close()
        r = self.cli("reservations", "import", os.path.join(self.tmp, "missing.csv"))
        self.assertNotEqual(r.returncode, 0)

    def test_db_shell_opens_sqlite3_with_sqlite_vec(self):
        r = run_cli(["db", "shell", "--db", self.db], self.env, self.tmp,
                    stdin=b"SELECT vec_version();\nSELECT count(*) FROM knowledge_base;\n.quit\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        self.assertIn("v0.1.9", out)
        self.assertGreater(int(out.split()[-1]), 0)

    def test_retention_dry_run_counts_and_run_deletes(self):
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("INSERT INTO conversations (id, guest_id, channel_type, channel_id, state, "
                    "last_message_at, created_at, updated_at) VALUES ('old-conv', ?, 'webchat', "
                    "'old-conv', 'resolved', '2023-01-01T10:00:00.000Z', "
                    "'2023-01-01T10:00:00.000Z', '2023-01-01T10:00:00.000Z')", (self.guest_id,))
        con.execute("INSERT INTO messages (id, conversation_id, direction, sender_type, content, "
                    "created_at) VALUES ('old-msg', 'old-conv', 'inbound', 'guest', 'old', "
                    "'2023-01-01T10:00:00.000Z')")
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        con.execute("INSERT INTO conversations (id, guest_id, channel_type, channel_id, state, "
                    "last_message_at, created_at, updated_at) VALUES ('new-conv', ?, 'webchat', "
                    "'new-conv', 'active', ?, ?, ?)", (self.guest_id, now, now, now))
        con.execute("INSERT INTO messages (id, conversation_id, direction, sender_type, content, "
                    "created_at) VALUES ('new-msg', 'new-conv', 'inbound', 'guest', 'new', ?)",
                    (now,))
        con.commit()
        con.close()
        dry = self.cli("retention", "run", "--dry-run")
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertIn("would delete: 1 messages, 1 conversations", dry.stdout.decode())
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM messages WHERE id = 'old-msg'")
                         .fetchone()[0], 1, "a dry run deletes nothing")
        con.close()
        run = self.cli("retention", "run")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("deleted: 1 messages, 1 conversations", run.stdout.decode())
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM conversations WHERE id = 'old-conv'")
                         .fetchone()[0], 0)
        self.assertEqual(con.execute("SELECT count(*) FROM messages WHERE id = 'new-msg'")
                         .fetchone()[0], 1, "recent messages stay")
        con.close()

    def test_guest_export_then_erase(self):
        out = os.path.join(self.tmp, "export.json")
        r = self.cli("guest", "export", self.guest_id, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600)
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
        self.assertIn(self.email, json.dumps(doc))
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM audit_log WHERE action = "
                                     "'data.export' AND resource_id = ?",
                                     (self.guest_id,)).fetchone()[0], 1)
        con.close()

        self.assertOneLineError(self.cli("guest", "erase", self.guest_id), "--yes")
        self.assertOneLineError(self.cli("guest", "export", "no-such-guest"))
        r = self.cli("guest", "erase", self.guest_id, "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(self.db)
        first, last, email = con.execute("SELECT first_name, last_name, email FROM guests "
                                         "WHERE id = ?", (self.guest_id,)).fetchone()
        self.assertEqual((first, last, email), ("Erased", "Guest", None))
        self.assertEqual(con.execute("SELECT count(*) FROM audit_log WHERE action = "
                                     "'guest.delete' AND resource_id = ?",
                                     (self.guest_id,)).fetchone()[0], 1)
        con.close()
        blob = b""
        for suffix in ("", "-wal"):
            if os.path.exists(self.db + suffix):
                with open(self.db + suffix, "rb") as f:
                    blob += f.read()
        self.assertNotIn(self.email.encode(), blob)

    def test_backup_is_a_whole_database(self):
        copy = os.path.join(self.tmp, "copy.db")
        r = self.cli("db", "backup", copy)
        self.assertEqual(r.returncode, 0, r.stderr)
        src, dst = sqlite3.connect(self.db), sqlite3.connect(copy)
        self.assertEqual(dst.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        for table in ("guests", "reservations", "knowledge_base", "staff", "settings"):
            q = "SELECT count(*) FROM " + table
            self.assertEqual(dst.execute(q).fetchone()[0], src.execute(q).fetchone()[0], table)
        src.close()
        dst.close()
        status = run_cli(["db", "status", "--db", copy], self.env, self.tmp)
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertNotIn("pending", status.stdout.decode())

    def test_db_new_numbers_the_next_migration(self):
        tree = os.path.join(self.tmp, "tree")
        shutil.copytree(os.path.join(SOURCE_DIR, "src", "db", "migrations"),
                        os.path.join(tree, "src", "db", "migrations"))
        before = sorted(os.listdir(os.path.join(tree, "src", "db", "migrations")))
        r = run_cli(["db", "new", "add_outbox"], self.env, tree)
        self.assertEqual(r.returncode, 0, r.stderr)
        after = sorted(os.listdir(os.path.join(tree, "src", "db", "migrations")))
        self.assertEqual(len(after), len(before) + 1)
        expected = "%03d_add_outbox.sql" % (int(before[-1][:3]) + 1)
        self.assertIn(expected, after)
        bad = run_cli(["db", "new", "Bad-Name"], self.env, tree)
        self.assertNotEqual(bad.returncode, 0)
        self.assertEqual(len(os.listdir(os.path.join(tree, "src", "db", "migrations"))),
                         len(after), "nothing written for a bad name")
        outside = run_cli(["db", "new", "x"], self.env, self.tmp)
        self.assertNotEqual(outside.returncode, 0)
        self.assertIn("source tree", outside.stderr.decode())


if __name__ == "__main__":
    if not os.path.exists(JACK_BIN):
        print("jack binary not found at %s (set JACK_BIN)" % JACK_BIN, file=sys.stderr)
        sys.exit(2)
    unittest.main(verbosity=2)
