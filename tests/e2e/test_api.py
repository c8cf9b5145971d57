#!/usr/bin/env python3
"""End-to-end tests of the staff API, its security and live updates (api.md), against the
real binary on loopback. Every response of these tests is checked against the server's own
OpenAPI document (status documented, JSON body valid for its schema).

Standard library only; JACK_BIN names the binary.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import sqlite3
import sys
import threading
import time
import unittest
import urllib.parse
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import schema_check  # noqa: E402
import ws_client  # noqa: E402
from test_e2e import ADMIN, HOTEL, Server, demo_login, demo_reservation  # noqa: E402

# The seed's default role table (data-model.md), kept here so that the test does not take the
# server's word for it.
ROLE_PERMISSIONS = {
    "admin": {"*"},
    "manager": {"guest.view", "guest.view_contact", "guest.view_financial", "guest.edit",
                "conversation.view", "conversation.respond", "conversation.assign",
                "conversation.escalate", "task.view", "task.create", "task.assign",
                "task.complete", "staff.view", "analytics.view", "analytics.export"},
    "front_desk": {"guest.view", "guest.view_contact", "guest.edit", "conversation.view",
                   "conversation.respond", "conversation.escalate", "task.view", "task.create",
                   "analytics.view"},
    "concierge": {"guest.view", "guest.view_contact", "conversation.view", "conversation.respond",
                  "task.view", "task.create", "task.complete"},
    "housekeeping": {"task.view", "task.complete"},
    "maintenance": {"task.view", "task.complete"},
}
ROLES = list(ROLE_PERMISSIONS)

# Every endpoint of api.md (the contract); the document must describe each.
API_MD_ROUTES = [
    ("POST", "/api/v1/auth/login"), ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"), ("GET", "/api/v1/auth/me"),
    ("GET", "/api/v1/conversations"), ("GET", "/api/v1/conversations/{id}"),
    ("GET", "/api/v1/conversations/{id}/messages"),
    ("POST", "/api/v1/conversations/{id}/messages"),
    ("POST", "/api/v1/conversations/{id}/escalate"), ("POST", "/api/v1/conversations/{id}/assign"),
    ("POST", "/api/v1/conversations/{id}/resolve"),
    ("POST", "/api/v1/conversations/{id}/handback"),
    ("GET", "/api/v1/guests"), ("POST", "/api/v1/guests"), ("GET", "/api/v1/guests/{id}"),
    ("PATCH", "/api/v1/guests/{id}"), ("DELETE", "/api/v1/guests/{id}"),
    ("GET", "/api/v1/guests/{id}/export"), ("GET", "/api/v1/reservations"),
    ("PUT", "/api/v1/reservations/{confirmationNumber}"), ("POST", "/api/v1/reservations/import"),
    ("GET", "/api/v1/tasks"), ("POST", "/api/v1/tasks"), ("GET", "/api/v1/tasks/{id}"),
    ("PATCH", "/api/v1/tasks/{id}"), ("POST", "/api/v1/tasks/{id}/assign"),
    ("POST", "/api/v1/tasks/{id}/start"), ("POST", "/api/v1/tasks/{id}/complete"),
    ("POST", "/api/v1/tasks/{id}/cancel"),
    ("GET", "/api/v1/knowledge"), ("POST", "/api/v1/knowledge"),
    ("GET", "/api/v1/knowledge/{id}"), ("PATCH", "/api/v1/knowledge/{id}"),
    ("DELETE", "/api/v1/knowledge/{id}"), ("GET", "/api/v1/knowledge/search"),
    ("POST", "/api/v1/knowledge/reindex"),
    ("GET", "/api/v1/staff"), ("POST", "/api/v1/staff"), ("GET", "/api/v1/staff/{id}"),
    ("PATCH", "/api/v1/staff/{id}"),
    ("GET", "/api/v1/settings"), ("PUT", "/api/v1/settings/{key}"),
    ("GET", "/api/v1/automation/rules"), ("POST", "/api/v1/automation/rules"),
    ("GET", "/api/v1/automation/rules/{id}"), ("PATCH", "/api/v1/automation/rules/{id}"),
    ("DELETE", "/api/v1/automation/rules/{id}"),
    ("GET", "/api/v1/audit"), ("GET", "/api/v1/analytics/overview"),
    ("POST", "/api/v1/webchat/sessions"), ("POST", "/api/v1/webchat/identify"),
    ("POST", "/api/v1/webchat/messages"), ("GET", "/api/v1/webchat/messages"),
    ("GET", "/health"), ("GET", "/health/ready"), ("GET", "/metrics"),
    ("GET", "/api/v1/openapi.json"), ("GET", "/ws"), ("GET", "/ws/chat"),
]

# Endpoints that check a second permission on top of their x-permission.
EXTRA_PERMISSION = {("GET", "/api/v1/guests/{id}/export"): "analytics.export"}

FAKE_ID = "01a00000-0000-7000-8000-000000000000"


def can(role, perm):
    perms = ROLE_PERMISSIONS[role]
    return "*" in perms or perm in perms


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_parts(token):
    h, p, s = token.split(".")
    pad = lambda x: x + "=" * (-len(x) % 4)  # noqa: E731
    return (json.loads(base64.urlsafe_b64decode(pad(h))),
            json.loads(base64.urlsafe_b64decode(pad(p))), s)


def sign(header, payload, secret):
    head = b64url(json.dumps(header, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    sig = hmac.new(secret.encode(), (head + "." + body).encode(), hashlib.sha256).digest()
    return head + "." + body + "." + b64url(sig)


class CheckedServer(Server):
    """A server whose every answer is checked against its own OpenAPI document."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.enable_schema_checks()


class StaffApi(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = CheckedServer(rate_limits=False)
        s = cls.server
        cls.doc = s.doc
        cls.tokens = {"admin": s.login(*ADMIN)}
        for role in ROLES[1:]:
            cls.tokens[role] = s.login(*demo_login(role))
        with open(s.db + ".jwt-secret") as f:
            cls.secret = f.read().strip()

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            print("\n%d responses checked against the OpenAPI document" % Server.checked,
                  file=sys.stderr)
            cls.server.stop()

    @property
    def s(self):
        return self.server

    @property
    def admin(self):
        return self.tokens["admin"]

    def assertError(self, r, status, code):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.error_code(), code, r)

    def db(self):
        conn = sqlite3.connect(self.s.db, timeout=10)
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn

    def count(self, table):
        with self.db() as conn:
            return conn.execute("SELECT count(*) FROM " + table).fetchone()[0]

    def new_staff(self, role, grants=None):
        """A new staff member of `role` (with direct grants) and a token for them."""
        email = "%s-%s@miramar.example" % (role, os.urandom(4).hex())
        r = self.s.request("POST", "/api/v1/staff", {
            "email": email, "name": "Test " + role, "role": role,
            "password": "a-long-password-42"}, token=self.admin)
        self.assertEqual(r.status, 201, r)
        if grants:
            p = self.s.request("PATCH", "/api/v1/staff/" + r.json["id"], {"permissions": grants},
                               token=self.admin)
            self.assertEqual(p.status, 200, p)
        return r.json["id"], self.s.login(email, "a-long-password-42")

    def guest_conversation(self, text="Hello", name=None):
        session = self.s.new_session(**({"name": name} if name else {}))
        sent = self.s.chat(session, text)
        self.assertEqual(sent.status, 200, sent)
        return session, sent.json["conversationId"], sent

    def whatsapp_conversation(self, guest_email, phone):
        """A WhatsApp conversation as the channel would store it (no webhook yet), written
        straight into the database beside the running server."""
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        gid, cid = os.urandom(8).hex(), os.urandom(8).hex()
        with self.db() as conn:
            conn.execute("INSERT INTO guests (id, first_name, last_name, email, phone, created_at,"
                         " updated_at) VALUES (?,?,?,?,?,?,?)",
                         (gid, "Wanda", "Wasap", guest_email, phone, now, now))
            conn.execute("INSERT INTO conversations (id, guest_id, channel_type, channel_id, state,"
                         " metadata, created_at, updated_at, queue_key) VALUES "
                         "(?,?,?,?,?,?,?,?,?)",
                         (cid, gid, "whatsapp", phone, "active", "{}", now, now, "3|0"))
        return gid, cid

    # ---- the document ----

    def test_openapi_documents_every_route_of_api_md(self):
        paths = self.doc["paths"]
        for method, path in API_MD_ROUTES:
            self.assertIn(path, paths, "%s %s" % (method, path))
            self.assertIn(method.lower(), paths[path], "%s %s" % (method, path))
        for path, ops in paths.items():
            for method, op in ops.items():
                self.assertTrue(op.get("summary"), (method, path))
                self.assertTrue(op.get("responses"), (method, path))
                if op.get("security") == [{"staff": []}] and path not in (
                        "/api/v1/auth/logout", "/api/v1/auth/me"):
                    self.assertIn("x-permission", op, "%s %s names its permission" % (method, path))
        # Every $ref resolves.
        schemas = self.doc["components"]["schemas"]

        def walk(node):
            if isinstance(node, dict):
                ref = node.get("$ref")
                if ref:
                    self.assertIn(ref.rsplit("/", 1)[-1], schemas, ref)
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(self.doc)

    # ---- authorization: every route × every default role ----

    def test_every_route_checks_its_permission_for_every_role(self):
        checked = 0
        for path, ops in self.doc["paths"].items():
            for method, op in ops.items():
                perm = op.get("x-permission")
                if perm is None:
                    continue
                url = path.replace("{key}", "hotel.name").replace(
                    "{confirmationNumber}", "MATRIX-1")
                url = url.replace("{id}", FAKE_ID)
                body = {} if method in ("post", "put", "patch") else None
                extra = EXTRA_PERMISSION.get((method.upper(), path))
                for role in ROLES:
                    r = self.s.request(method.upper(), url, body, token=self.tokens[role])
                    if not can(role, perm):
                        self.assertError(r, 403, "FORBIDDEN")
                        self.assertEqual(r.json["error"]["details"]["permission"], perm,
                                         (method, path, role))
                    elif extra and not can(role, extra):
                        self.assertError(r, 403, "FORBIDDEN")
                        self.assertEqual(r.json["error"]["details"]["permission"], extra)
                    else:
                        self.assertNotIn(r.status, (401, 403), (method, path, role, r))
                        self.assertLess(r.status, 500, (method, path, role, r))
                    checked += 1
        self.assertGreater(checked, 200)
        self.assertTrue(self.s.alive())

    def test_housekeeping_cannot_read_conversations_and_front_desk_sees_no_money(self):
        _, conv, _ = self.guest_conversation()
        hk = self.s.request("GET", "/api/v1/conversations/" + conv,
                            token=self.tokens["housekeeping"])
        self.assertError(hk, 403, "FORBIDDEN")
        guests = self.s.request("GET", "/api/v1/guests?limit=200", token=self.tokens["front_desk"])
        self.assertEqual(guests.status, 200, guests)
        self.assertTrue(guests.json["items"])
        for g in guests.json["items"]:
            self.assertNotIn("totalRevenue", g)
        res = self.s.request("GET", "/api/v1/reservations", token=self.tokens["front_desk"])
        for r in res.json["items"]:
            for k in ("totalRate", "balance", "rateCode"):
                self.assertNotIn(k, r)
        res = self.s.request("GET", "/api/v1/reservations", token=self.tokens["manager"])
        self.assertIn("totalRate", res.json["items"][0])

    def test_redaction_without_contact_permission_in_rest_and_events(self):
        # Housekeeping with direct grants to read guests and conversations, but not contacts.
        _, token = self.new_staff("housekeeping", ["guest.view", "conversation.view"])
        gid, cid = self.whatsapp_conversation("wanda.%s@example.com" % os.urandom(3).hex(),
                                              "+3519%08d" % (int.from_bytes(os.urandom(3),
                                                                            "big") % 10**8))
        g = self.s.request("GET", "/api/v1/guests/" + gid, token=token)
        self.assertEqual(g.status, 200, g)
        self.assertNotIn("email", g.json)
        self.assertNotIn("phone", g.json)
        full = self.s.request("GET", "/api/v1/guests/" + gid, token=self.admin)
        self.assertIn("email", full.json)
        c = self.s.request("GET", "/api/v1/conversations/" + cid, token=token)
        self.assertEqual(c.status, 200, c)
        self.assertNotIn("channelId", c.json, "a WhatsApp channel id is a phone number")
        self.assertNotIn("email", c.json["guest"])
        lst = self.s.request("GET", "/api/v1/conversations?channel=whatsapp&limit=200", token=token)
        self.assertTrue(any(i["id"] == cid for i in lst.json["items"]))
        for item in lst.json["items"]:
            self.assertNotIn("channelId", item)
        self.assertIn("channelId", self.s.request("GET", "/api/v1/conversations/" + cid,
                                                  token=self.admin).json)
        # Searching by contact data needs the permission too.
        r = self.s.request("GET", "/api/v1/guests?email=x%40example.com", token=token)
        self.assertError(r, 403, "FORBIDDEN")
        # Events are redacted alike.
        ws = ws_client.WebSocket(self.s.port, "/ws?token=" + token)
        ws_admin = ws_client.WebSocket(self.s.port, "/ws?token=" + self.admin)
        self.assertEqual(ws.status, 101)
        try:
            time.sleep(0.2)
            r = self.s.request("POST", "/api/v1/conversations/%s/escalate" % cid,
                               {"reason": "check"}, token=self.admin)
            self.assertEqual(r.status, 200, r)
            ev = ws.recv_until(lambda m: m["type"] == "conversation.escalated"
                               and m["data"]["id"] == cid)
            self.assertNotIn("channelId", ev["data"])
            ev_admin = ws_admin.recv_until(lambda m: m["type"] == "conversation.escalated"
                                           and m["data"]["id"] == cid)
            self.assertIn("channelId", ev_admin["data"])
        finally:
            ws.close()
            ws_admin.close()

    # ---- tokens ----

    def test_tokens_expired_tampered_none_rs256_and_refresh_as_access(self):
        token = self.s.login(*demo_login("front_desk"))
        header, payload, _ = jwt_parts(token)
        ok = self.s.request("GET", "/api/v1/auth/me", token=token)
        self.assertEqual(ok.status, 200, ok)
        expired = sign(header, dict(payload, exp=int(time.time()) - 5), self.secret)
        tampered_role = token.split(".")
        tampered_role[1] = b64url(json.dumps(dict(payload, sub="someone-else")).encode())
        none = (b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode()) + "." +
                token.split(".")[1] + ".")
        rs = sign({"alg": "RS256", "typ": "JWT"}, payload, self.secret)
        wrong_key = sign(header, payload, "not-the-server-secret-0123456789abcdef")
        login = self.s.request("POST", "/api/v1/auth/login", {
            "email": demo_login("concierge")[0], "password": demo_login("concierge")[1]})
        refresh = login.json["refreshToken"]
        for bad in (expired, ".".join(tampered_role), none, rs, wrong_key, refresh, "x.y.z", ""):
            r = self.s.request("GET", "/api/v1/auth/me", token=bad)
            self.assertError(r, 401, "UNAUTHORIZED")

    def test_refresh_rotates_and_reuse_revokes_the_session(self):
        login = self.s.request("POST", "/api/v1/auth/login", {
            "email": demo_login("manager")[0], "password": demo_login("manager")[1]})
        self.assertEqual(login.status, 200, login)
        first = login.json
        second = self.s.request("POST", "/api/v1/auth/refresh",
                                {"refreshToken": first["refreshToken"]})
        self.assertEqual(second.status, 200, second)
        self.assertNotEqual(second.json["refreshToken"], first["refreshToken"])
        self.assertEqual(self.s.request("GET", "/api/v1/auth/me",
                                        token=second.json["accessToken"]).status, 200)
        # The old refresh token again: a replay; the whole session ends.
        replay = self.s.request("POST", "/api/v1/auth/refresh",
                                {"refreshToken": first["refreshToken"]})
        self.assertError(replay, 401, "UNAUTHORIZED")
        for t in (first["accessToken"], second.json["accessToken"]):
            self.assertError(self.s.request("GET", "/api/v1/auth/me", token=t), 401,
                             "UNAUTHORIZED")
        after = self.s.request("POST", "/api/v1/auth/refresh",
                               {"refreshToken": second.json["refreshToken"]})
        self.assertError(after, 401, "UNAUTHORIZED")

    def test_logout_revokes_the_session(self):
        login = self.s.request("POST", "/api/v1/auth/login", {
            "email": demo_login("concierge")[0], "password": demo_login("concierge")[1]})
        tok = login.json["accessToken"]
        r = self.s.request("POST", "/api/v1/auth/logout", token=tok)
        self.assertEqual(r.status, 204, r)
        self.assertError(self.s.request("GET", "/api/v1/auth/me", token=tok), 401, "UNAUTHORIZED")
        self.assertError(self.s.request("POST", "/api/v1/auth/refresh",
                                        {"refreshToken": login.json["refreshToken"]}),
                         401, "UNAUTHORIZED")

    def test_login_audits_ip_and_user_agent_and_guest_view_once_per_session(self):
        email, password = demo_login("front_desk")
        tokens = []
        for _ in range(2):
            r = self.s.request("POST", "/api/v1/auth/login", {"email": email, "password": password},
                               headers={"User-Agent": "e2e-agent/1.0"})
            tokens.append(r.json["accessToken"])
        staff_id = jwt_parts(tokens[0])[1]["sub"]
        a = self.s.request("GET", "/api/v1/audit?action=staff.login&actorId=" + staff_id,
                           token=self.admin)
        self.assertEqual(a.status, 200, a)
        rows = a.json["items"]
        self.assertGreaterEqual(len(rows), 2)
        self.assertEqual(rows[0]["ipAddress"], "127.0.0.1")
        self.assertEqual(rows[0]["userAgent"], "e2e-agent/1.0")
        gid = self.s.request("GET", "/api/v1/guests", token=self.admin).json["items"][0]["id"]
        for tok in tokens:
            for _ in range(3):
                self.assertEqual(self.s.request("GET", "/api/v1/guests/" + gid, token=tok).status,
                                 200)
        views = self.s.request("GET", "/api/v1/audit?action=guest.view&resourceId=%s&actorId=%s"
                               % (gid, staff_id), token=self.admin)
        self.assertEqual(len(views.json["items"]), 2, "once per session: two logins, two rows")
        # The audit log has no write endpoint.
        self.assertEqual(self.s.request("DELETE", "/api/v1/audit", token=self.admin).status, 405)
        self.assertEqual(self.s.request("POST", "/api/v1/audit", {}, token=self.admin).status, 405)

    # ---- conversations ----

    def test_inbox_is_ordered_by_urgency_and_pages_by_cursor(self):
        _, escalated, _ = self.guest_conversation("I want to speak to a real person now")
        _, answered, _ = self.guest_conversation("what is the wifi password?")
        session, waiting, _ = self.guest_conversation("hello there")
        fd = self.tokens["front_desk"]
        staff_id = jwt_parts(fd)[1]["sub"]
        r = self.s.request("POST", "/api/v1/conversations/%s/assign" % waiting,
                           {"staffId": staff_id}, token=self.admin)
        self.assertEqual(r.status, 200, r)
        self.s.chat(session, "are you there?")  # staff-owned: no AI answer; the guest waits
        items = []
        cursor = None
        while True:
            q = "/api/v1/conversations?limit=2" + ("&cursor=" + urllib.parse.quote(cursor)
                                                   if cursor else "")
            page = self.s.request("GET", q, token=fd)
            self.assertEqual(page.status, 200, page)
            items += page.json["items"]
            cursor = page.json["nextCursor"]
            if not cursor:
                break
        ids = [i["id"] for i in items]
        self.assertEqual(len(ids), len(set(ids)), "no conversation twice across pages")
        self.assertEqual(len(ids), self.count("conversations"))
        states = [i["state"] for i in items]
        first_open = next(i for i, st in enumerate(states) if st != "escalated")
        self.assertTrue(all(st != "escalated" for st in states[first_open:]),
                        "escalated first: %s" % states)
        pos = {i["id"]: n for n, i in enumerate(items)}
        self.assertLess(pos[escalated], pos[waiting])
        self.assertLess(pos[waiting], pos[answered], "a waiting guest before an answered one")
        w = items[pos[waiting]]
        self.assertTrue(w["awaitingReply"])
        self.assertEqual(w["assignedTo"], staff_id)
        self.assertEqual(w["lastMessage"]["content"], "are you there?")
        self.assertFalse(items[pos[answered]]["awaitingReply"])
        # Filters.
        mine = self.s.request("GET", "/api/v1/conversations?assignedTo=me", token=fd)
        self.assertEqual([i["id"] for i in mine.json["items"]], [waiting])
        esc = self.s.request("GET", "/api/v1/conversations?state=escalated&limit=200", token=fd)
        self.assertIn(escalated, [i["id"] for i in esc.json["items"]])
        self.assertTrue(all(i["state"] == "escalated" for i in esc.json["items"]))
        recent = self.s.request("GET", "/api/v1/conversations?sort=recent&limit=1", token=fd)
        self.assertEqual(recent.json["items"][0]["id"], waiting, "the latest activity first")
        bad = self.s.request("GET", "/api/v1/conversations?state=open", token=fd)
        self.assertError(bad, 400, "VALIDATION_ERROR")
        bad = self.s.request("GET", "/api/v1/conversations?cursor=not-a-cursor", token=fd)
        self.assertError(bad, 400, "VALIDATION_ERROR")

    def test_staff_reply_takes_over_then_hand_back_lets_the_ai_answer(self):
        session, conv, _ = self.guest_conversation("hi, quick question")
        fd = self.tokens["front_desk"]
        guest_ws = ws_client.WebSocket(self.s.port, "/ws/chat?token=" + session)
        self.assertEqual(guest_ws.status, 101)
        try:
            time.sleep(0.2)
            r = self.s.request("POST", "/api/v1/conversations/%s/messages" % conv,
                               {"content": "Hello, this is Maria at the front desk 😊"}, token=fd)
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json["senderType"], "staff")
            pushed = guest_ws.recv_until(lambda m: m["type"] == "message"
                                         and m["message"]["id"] == r.json["id"])
            self.assertEqual(pushed["message"]["content"],
                             "Hello, this is Maria at the front desk 😊")
            self.assertNotIn("senderId", pushed["message"])
        finally:
            guest_ws.close()
        c = self.s.request("GET", "/api/v1/conversations/" + conv, token=fd).json
        self.assertEqual(c["assignedTo"], jwt_parts(fd)[1]["sub"])
        quiet = self.s.chat(session, "what is the wifi password?")
        self.assertEqual(quiet.json["replies"], [], "staff own it: the AI is silent")
        back = self.s.request("POST", "/api/v1/conversations/%s/handback" % conv, token=fd)
        self.assertEqual(back.status, 200, back)
        self.assertIsNone(back.json["assignedTo"])
        again = self.s.chat(session, "what is the wifi password?")
        self.assertEqual(len(again.json["replies"]), 1, again)
        res = self.s.request("POST", "/api/v1/conversations/%s/resolve" % conv, token=fd)
        self.assertEqual(res.json["state"], "resolved")
        late = self.s.request("POST", "/api/v1/conversations/%s/messages" % conv,
                              {"content": "one more thing"}, token=fd)
        self.assertError(late, 409, "CONFLICT")

    def test_idempotency_key_replays_the_first_answer(self):
        _, conv, _ = self.guest_conversation("hello")
        key = {"Idempotency-Key": "reply-" + os.urandom(6).hex()}
        before = self.count("messages")
        a = self.s.request("POST", "/api/v1/conversations/%s/messages" % conv,
                           {"content": "We are on it."}, headers=key, token=self.admin)
        b = self.s.request("POST", "/api/v1/conversations/%s/messages" % conv,
                           {"content": "We are on it."}, headers=key, token=self.admin)
        self.assertEqual(a.status, 201, a)
        self.assertEqual(b.status, 201, b)
        self.assertEqual(a.json, b.json)
        self.assertEqual(b.header("Idempotent-Replayed"), "true")
        self.assertEqual(self.count("messages"), before + 1, "sent once")
        c = self.s.request("POST", "/api/v1/conversations/%s/messages" % conv,
                           {"content": "Something else"}, headers=key, token=self.admin)
        self.assertError(c, 409, "CONFLICT")
        # Another caller's key space is its own.
        d = self.s.request("POST", "/api/v1/conversations/%s/messages" % conv,
                           {"content": "Something else"}, headers=key,
                           token=self.tokens["front_desk"])
        self.assertEqual(d.status, 201, d)

    def test_two_staff_answering_at_once_get_one_owner(self):
        _, conv, _ = self.guest_conversation("hello, anyone?")
        tokens = [self.tokens["front_desk"], self.tokens["concierge"]]
        results = [None, None]

        def reply(i):
            results[i] = self.s.request("POST", "/api/v1/conversations/%s/messages" % conv,
                                        {"content": "I'll help you (%d)" % i}, token=tokens[i])
        threads = [threading.Thread(target=reply, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertTrue(all(r.status == 201 for r in results), results)
        owner = self.s.request("GET", "/api/v1/conversations/" + conv, token=self.admin).json
        ids = [jwt_parts(t)[1]["sub"] for t in tokens]
        self.assertIn(owner["assignedTo"], ids)
        first = min(results, key=lambda r: (r.json["createdAt"], r.json["id"]))
        self.assertEqual(owner["assignedTo"], first.json["senderId"], "the first reply owns it")
        audit = self.s.request("GET", "/api/v1/audit?action=conversation.assign&resourceId=" + conv,
                               token=self.admin)
        self.assertEqual(len(audit.json["items"]), 1, "one assignment, not two")

    # ---- guests, reservations ----

    def test_guest_create_patch_and_validation(self):
        email = "g.%s@example.com" % os.urandom(3).hex()
        r = self.s.request("POST", "/api/v1/guests", {
            "firstName": "Otto", "lastName": "Lilienthal", "email": email,
            "tags": ["vip"], "preferences": [{"category": "room", "key": "floor", "value": "high"}]},
            token=self.tokens["front_desk"])
        self.assertEqual(r.status, 201, r)
        gid = r.json["id"]
        self.assertEqual(r.json["preferences"][0]["source"], "stated")
        dup = self.s.request("POST", "/api/v1/guests", {"lastName": "X", "email": email},
                             token=self.admin)
        self.assertError(dup, 409, "CONFLICT")
        p = self.s.request("PATCH", "/api/v1/guests/" + gid,
                           {"notes": "allergic to nuts", "tags": ["vip", "returning"],
                            "vipStatus": None}, token=self.tokens["front_desk"])
        self.assertEqual(p.status, 200, p)
        self.assertEqual(p.json["tags"], ["vip", "returning"])
        self.assertIsNone(p.json["vipStatus"])
        for bad in ({"preferences": [{"category": "room"}]}, {"tags": "vip"},
                    {"preferences": [{"category": "a", "key": "b", "value": "c",
                                      "confidence": 3}]}, {"email": "not an email"},
                    {"firstName": 7}):
            r = self.s.request("PATCH", "/api/v1/guests/" + gid, bad, token=self.admin)
            self.assertError(r, 400, "VALIDATION_ERROR")
        after = self.s.request("GET", "/api/v1/guests/" + gid, token=self.admin).json
        self.assertEqual(after["tags"], ["vip", "returning"], "a refused patch changes nothing")
        edits = self.s.request("GET", "/api/v1/audit?action=guest.edit&resourceId=" + gid,
                               token=self.admin).json["items"]
        self.assertEqual(len(edits), 2)
        self.assertNotIn("nuts", json.dumps(edits), "audit details name fields, not values")

    def test_reservation_import_json_and_csv_report_every_row(self):
        today = datetime.date.today()
        arr, dep = today.isoformat(), (today + datetime.timedelta(days=3)).isoformat()
        rows = [
            {"confirmationNumber": "IMP-1", "guest": {"firstName": "Ida", "lastName": "Import",
                                                      "email": "ida.import@example.com"},
             "roomNumber": "501", "roomType": "Double", "arrivalDate": arr, "departureDate": dep},
            {"confirmationNumber": "IMP-2", "guest": {"lastName": "Bad"}, "roomType": "Double",
             "arrivalDate": "not-a-date", "departureDate": dep},
            {"confirmationNumber": "IMP-1", "guest": {"firstName": "Ida", "lastName": "Import",
                                                      "email": "ida.import@example.com"},
             "roomNumber": "502", "roomType": "Double", "arrivalDate": arr, "departureDate": dep},
        ]
        r = self.s.request("POST", "/api/v1/reservations/import", raw=json.dumps(rows).encode(),
                           token=self.admin)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["created"], r.json["updated"], r.json["rejected"]), (1, 1, 1))
        self.assertEqual([x["result"] for x in r.json["rows"]], ["created", "rejected", "updated"])
        self.assertEqual(r.json["rows"][1]["error"]["errors"][0]["path"], "arrivalDate")
        csv = ('Confirmation Number,First Name,Last Name,Email,Room Number,Room Type,'
               'Arrival Date,Departure Date,Special Requests,Total Rate\r\n'
               'CSV-1,Carla,"Comma, Jr.",carla@example.com,610,Suite,%s,%s,"late arrival|'
               'quiet room",450.50\r\n'
               'CSV-2,Dan,,dan@example.com,611,Suite,%s,%s,,abc\r\n' % (arr, dep, arr, dep))
        r = self.s.request("POST", "/api/v1/reservations/import", raw=csv.encode(),
                           content_type="text/csv", token=self.admin)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([x["result"] for x in r.json["rows"]], ["created", "rejected"])
        res = self.s.request("GET", "/api/v1/reservations?roomNumber=610", token=self.admin)
        self.assertEqual(len(res.json["items"]), 1)
        self.assertEqual(res.json["items"][0]["specialRequests"], ["late arrival", "quiet room"])
        self.assertEqual(res.json["items"][0]["totalRate"], 450.5)
        g = self.s.request("GET", "/api/v1/guests?q=Comma", token=self.admin).json["items"]
        self.assertEqual(g[0]["lastName"], "Comma, Jr.")
        bad = self.s.request("POST", "/api/v1/reservations/import", raw=b"<xml/>",
                             content_type="application/xml", token=self.admin)
        self.assertError(bad, 415, "UNSUPPORTED_MEDIA_TYPE")
        listed = self.s.request("GET", "/api/v1/reservations?arrivalFrom=%s&arrivalTo=%s&limit=200"
                                % (arr, arr), token=self.admin)
        confs = [x["confirmationNumber"] for x in listed.json["items"]]
        self.assertIn("IMP-1", confs)
        self.assertIn("CSV-1", confs)

    # ---- tasks ----

    def test_tasks_create_patch_and_transitions(self):
        r = self.s.request("POST", "/api/v1/tasks", {
            "department": "maintenance", "description": "Fix the balcony door", "roomNumber": "305",
            "priority": "high", "items": [{"item": "hinge", "quantity": 2}],
            "dueAt": "2026-12-24T10:00:00Z"}, token=self.tokens["front_desk"])
        self.assertEqual(r.status, 201, r)
        t = r.json
        self.assertEqual((t["type"], t["status"], t["dueAt"]),
                         ("maintenance", "pending", "2026-12-24T10:00:00.000Z"))
        p = self.s.request("PATCH", "/api/v1/tasks/" + t["id"], {"priority": "urgent"},
                           token=self.tokens["manager"])
        self.assertEqual(p.json["priority"], "urgent")
        self.assertError(self.s.request("PATCH", "/api/v1/tasks/" + t["id"], {"status": "completed"},
                                        token=self.admin), 400, "VALIDATION_ERROR")
        mt = self.tokens["maintenance"]
        self.assertError(self.s.request("POST", "/api/v1/tasks/%s/complete" % t["id"], token=mt),
                         409, "CONFLICT")
        self.assertEqual(self.s.request("POST", "/api/v1/tasks/%s/start" % t["id"],
                                        token=mt).json["status"], "in_progress")
        done = self.s.request("POST", "/api/v1/tasks/%s/complete" % t["id"],
                              {"completionNotes": "new hinges"}, token=mt)
        self.assertEqual(done.json["status"], "completed")
        self.assertError(self.s.request("POST", "/api/v1/tasks/%s/cancel" % t["id"], token=mt),
                         409, "CONFLICT")
        got = self.s.request("GET", "/api/v1/tasks/" + t["id"], token=self.tokens["housekeeping"])
        self.assertEqual(got.json["completionNotes"], "new hinges")
        lst = self.s.request("GET", "/api/v1/tasks?department=maintenance&status=completed",
                             token=mt)
        self.assertIn(t["id"], [x["id"] for x in lst.json["items"]])
        self.assertError(self.s.request("GET", "/api/v1/tasks?status=done", token=mt),
                         400, "VALIDATION_ERROR")

    # ---- knowledge ----

    def test_knowledge_crud_and_hybrid_search(self):
        r = self.s.request("POST", "/api/v1/knowledge", {
            "category": "amenity", "title": "Kayak rental",
            "content": "Kayaks can be rented at the marina dock for 30 EUR per hour."},
            token=self.admin)
        self.assertEqual(r.status, 201, r)
        kid = r.json["id"]
        s = self.s.request("GET", "/api/v1/knowledge/search?q=kayak%20rental", token=self.admin)
        self.assertEqual(s.json["items"][0]["id"], kid)
        hit = s.json["items"][0]
        self.assertIsNotNone(hit["ftsRank"])
        self.assertIsNotNone(hit["vectorDistance"])
        self.assertIn("30 EUR", hit["snippet"])
        p = self.s.request("PATCH", "/api/v1/knowledge/" + kid,
                           {"content": "Paddleboards can be rented at the marina dock."},
                           token=self.admin)
        self.assertEqual(p.status, 200, p)
        s = self.s.request("GET", "/api/v1/knowledge/search?q=paddleboards", token=self.admin)
        self.assertEqual(s.json["items"][0]["id"], kid)
        d = self.s.request("DELETE", "/api/v1/knowledge/" + kid, token=self.admin)
        self.assertEqual(d.status, 204, d)
        self.assertError(self.s.request("GET", "/api/v1/knowledge/" + kid, token=self.admin),
                         404, "NOT_FOUND")
        s = self.s.request("GET", "/api/v1/knowledge/search?q=paddleboards", token=self.admin)
        self.assertNotIn(kid, [i["id"] for i in s.json["items"]])
        self.assertError(self.s.request("GET", "/api/v1/knowledge/search", token=self.admin),
                         400, "VALIDATION_ERROR")
        ri = self.s.request("POST", "/api/v1/knowledge/reindex", token=self.admin)
        self.assertEqual(ri.status, 200, ri)
        self.assertEqual(ri.json["model"], "local-hash-384")

    # ---- staff ----

    def test_staff_create_change_deactivate_and_the_last_admin(self):
        sid, token = self.new_staff("concierge")
        self.assertEqual(self.s.request("GET", "/api/v1/auth/me", token=token).status, 200)
        created = self.s.request("GET", "/api/v1/audit?action=staff.create&resourceId=" + sid,
                                 token=self.admin).json["items"]
        self.assertEqual(len(created), 1)
        self.assertEqual(created[0]["actorId"], jwt_parts(self.admin)[1]["sub"])
        self.assertEqual(created[0]["details"], {"role": "concierge"})
        dup = self.s.request("POST", "/api/v1/staff", {
            "email": self.s.request("GET", "/api/v1/staff/" + sid, token=self.admin).json["email"],
            "name": "Dup", "role": "concierge", "password": "a-long-password-42"},
            token=self.admin)
        self.assertError(dup, 409, "CONFLICT")
        weak = self.s.request("POST", "/api/v1/staff", {
            "email": "weak@miramar.example", "name": "Weak", "role": "concierge",
            "password": "123"}, token=self.admin)
        self.assertError(weak, 400, "VALIDATION_ERROR")
        bad_grant = self.s.request("PATCH", "/api/v1/staff/" + sid,
                                   {"permissions": ["guest.teleport"]}, token=self.admin)
        self.assertError(bad_grant, 400, "VALIDATION_ERROR")
        off = self.s.request("PATCH", "/api/v1/staff/" + sid, {"status": "inactive"},
                             token=self.admin)
        self.assertEqual(off.json["status"], "inactive")
        self.assertError(self.s.request("GET", "/api/v1/auth/me", token=token), 401,
                         "UNAUTHORIZED")
        admins = self.s.request("GET", "/api/v1/staff?role=admin&status=active",
                                token=self.admin).json["items"]
        if len(admins) == 1:
            r = self.s.request("PATCH", "/api/v1/staff/" + admins[0]["id"], {"role": "manager"},
                               token=self.admin)
            self.assertError(r, 409, "CONFLICT")
        # The manager may view staff but not manage them.
        self.assertEqual(self.s.request("GET", "/api/v1/staff", token=self.tokens["manager"]).status,
                         200)
        self.assertError(self.s.request("PATCH", "/api/v1/staff/" + sid, {"name": "x"},
                                        token=self.tokens["manager"]), 403, "FORBIDDEN")

    # ---- settings, automation, analytics, operations ----

    def test_settings_secrets_are_never_returned(self):
        r = self.s.request("PUT", "/api/v1/settings/channels.email.smtp_password",
                           {"value": "super-secret-value"}, token=self.admin)
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json["value"])
        lst = self.s.request("GET", "/api/v1/settings", token=self.admin)
        self.assertNotIn("super-secret-value", json.dumps(lst.json))
        item = next(i for i in lst.json["items"] if i["key"] == "channels.email.smtp_password")
        self.assertTrue(item["secret"])
        with self.db() as conn:
            stored = conn.execute("SELECT value FROM settings WHERE key = ?",
                                  ("channels.email.smtp_password",)).fetchone()[0]
        self.assertNotIn("super-secret", stored, "kept sealed in the database file")
        self.assertTrue(stored.startswith("enc:v1:"), stored)
        # What the concierge tells guests is not a secret.
        wifi = next(i for i in lst.json["items"] if i["key"] == "hotel.wifi_password")
        self.assertTrue(wifi["value"])
        for key in ("channels.pms.api_token", "escalation.treshold", "debug.enabled"):
            bad = self.s.request("PUT", "/api/v1/settings/" + key, {"value": "x"},
                                 token=self.admin)
            self.assertError(bad, 400, "VALIDATION_ERROR")
        ro = self.s.request("PUT", "/api/v1/settings/embeddings.model", {"value": "x"},
                            token=self.admin)
        self.assertError(ro, 400, "VALIDATION_ERROR")

    def test_cors_allow_list(self):
        r = self.s.request("PUT", "/api/v1/settings/security.cors_origins",
                           {"value": "https://app.example, https://www.miramar.example"},
                           token=self.admin)
        self.assertEqual(r.status, 200, r)
        bad = self.s.request("PUT", "/api/v1/settings/security.cors_origins",
                             {"value": "https://*.example"}, token=self.admin)
        self.assertError(bad, 400, "VALIDATION_ERROR")
        pre = self.s.request("OPTIONS", "/api/v1/conversations", check=False, headers={
            "Origin": "https://app.example", "Access-Control-Request-Method": "GET"})
        self.assertEqual(pre.status, 204, pre)
        self.assertEqual(pre.header("Access-Control-Allow-Origin"), "https://app.example")
        self.assertIn("Authorization", pre.header("Access-Control-Allow-Headers"))
        evil = self.s.request("OPTIONS", "/api/v1/conversations", check=False, headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
        self.assertEqual(evil.status, 403, evil)
        self.assertIsNone(evil.header("Access-Control-Allow-Origin"))
        ok = self.s.request("GET", "/health", headers={"Origin": "https://www.miramar.example"})
        self.assertEqual(ok.header("Access-Control-Allow-Origin"), "https://www.miramar.example")
        no = self.s.request("GET", "/health", headers={"Origin": "https://evil.example"})
        self.assertIsNone(no.header("Access-Control-Allow-Origin"))
        plain = self.s.request("GET", "/health")
        self.assertEqual(plain.status, 200, "requests without an Origin are not affected")
        self.s.request("PUT", "/api/v1/settings/security.cors_origins", {"value": ""},
                       token=self.admin)

    def test_automation_rules_crud_with_validated_config(self):
        r = self.s.request("POST", "/api/v1/automation/rules", {
            "name": "Pre-arrival welcome", "triggerType": "time_based",
            "triggerConfig": {"type": "pre_arrival", "offset_days": -3, "time": "10:00"},
            "actionType": "send_message",
            "actionConfig": {"template": "welcome", "channel": "whatsapp"}}, token=self.admin)
        self.assertEqual(r.status, 201, r)
        rid = r.json["id"]
        self.assertTrue(r.json["enabled"])
        bad = self.s.request("POST", "/api/v1/automation/rules", {
            "name": "Broken", "triggerType": "time_based",
            "triggerConfig": {"type": "pre_arrival", "time": "25:99"},
            "actionType": "create_task", "actionConfig": {"department": "spa"}},
            token=self.admin)
        self.assertError(bad, 400, "VALIDATION_ERROR")
        paths = {e["path"] for e in bad.json["error"]["details"]["errors"]}
        self.assertTrue({"triggerConfig.time", "actionConfig.department",
                         "actionConfig.description"} <= paths, paths)
        p = self.s.request("PATCH", "/api/v1/automation/rules/" + rid, {"enabled": False},
                           token=self.admin)
        self.assertFalse(p.json["enabled"])
        self.assertEqual(self.s.request("DELETE", "/api/v1/automation/rules/" + rid,
                                        token=self.admin).status, 204)
        self.assertError(self.s.request("GET", "/api/v1/automation/rules/" + rid,
                                        token=self.admin), 404, "NOT_FOUND")

    def test_analytics_days_are_the_hotels(self):
        self.guest_conversation("Can I get two towels to room 12 please")
        r = self.s.request("PUT", "/api/v1/settings/hotel.timezone", {"value": "America/New_York"},
                           token=self.admin)
        self.assertEqual(r.status, 200, r)
        try:
            o = self.s.request("GET", "/api/v1/analytics/overview", token=self.tokens["manager"])
            self.assertEqual(o.status, 200, o)
            ny_today = datetime.datetime.now(zoneinfo.ZoneInfo("America/New_York")).date()
            self.assertEqual(o.json["to"], ny_today.isoformat(), "today is the hotel's today")
            self.assertEqual(len(o.json["days"]), 7)
            self.assertGreaterEqual(o.json["conversations"], 1)
            self.assertGreaterEqual(sum(d["inboundMessages"] for d in o.json["days"]), 1)
            hk = {d["department"]: d for d in o.json["tasksByDepartment"]}
            self.assertGreaterEqual(hk["housekeeping"]["created"], 1)
            bad = self.s.request("GET", "/api/v1/analytics/overview?from=2026-12-10&to=2026-12-01",
                                 token=self.admin)
            self.assertError(bad, 400, "VALIDATION_ERROR")
        finally:
            self.s.request("PUT", "/api/v1/settings/hotel.timezone",
                           {"value": HOTEL["settings"].get("hotel.timezone", "Europe/Lisbon")},
                           token=self.admin)

    def test_metrics_are_prometheus_text(self):
        r = self.s.request("GET", "/metrics")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("content-type").startswith("text/plain"))
        text = r.body.decode()
        self.assertIn("jack_http_requests_total{class=\"2xx\"}", text)
        self.assertIn("jack_http_request_duration_seconds_bucket{le=\"+Inf\"}", text)
        self.assertIn("jack_conversations ", text)

    # ---- live updates ----

    def test_staff_socket_gets_events_its_role_may_see(self):
        admin_ws = ws_client.WebSocket(self.s.port, "/ws?token=" + self.admin)
        hk_ws = ws_client.WebSocket(self.s.port, "/ws?token=" + self.tokens["housekeeping"])
        self.assertEqual((admin_ws.status, hk_ws.status), (101, 101))
        try:
            time.sleep(0.2)
            _, conv, sent = self.guest_conversation("Could I have two towels in room 808 please")
            m = admin_ws.recv_until(lambda e: e["type"] == "message.created"
                                    and e["data"]["conversationId"] == conv)
            self.assertEqual(m["data"]["direction"], "inbound")
            self.assertIn("intent", m["data"], "the staff shape")
            self.assertTrue(m["at"].endswith("Z"))
            t = admin_ws.recv_until(lambda e: e["type"] == "task.created")
            self.assertEqual(t["data"]["roomNumber"], "808")
            th = hk_ws.recv_until(lambda e: e["type"] == "task.created"
                                  and e["data"]["id"] == t["data"]["id"])
            self.assertEqual(th["data"]["department"], "housekeeping")
            # Housekeeping may not view conversations: its socket got no message event.
            hk_ws.send_json({"type": "ping"})
            frames = []
            while True:
                f = hk_ws.recv()
                if f["type"] == "pong":
                    break
                frames.append(f)
            self.assertFalse([f for f in frames if f["type"].startswith(("message", "conv"))])
        finally:
            admin_ws.close()
            hk_ws.close()

    def assertSocketCloses(self, ws, why):
        with self.assertRaises(ws_client.Closed, msg=why) as closed:
            ws.sock.settimeout(5)
            while True:
                ws.recv()
        self.assertEqual(closed.exception.code, 1008, why)

    def test_staff_socket_closes_on_logout_role_change_and_deactivation(self):
        # Logout ends the session: its socket goes at once.
        sid, token = self.new_staff("front_desk")
        ws = ws_client.WebSocket(self.s.port, "/ws?token=" + token)
        self.assertEqual(ws.status, 101)
        self.assertEqual(self.s.request("POST", "/api/v1/auth/logout", {}, token=token).status,
                         204)
        self.assertSocketCloses(ws, "logout")
        ws.sock.close()
        # A role change: the socket's view of events was decided by the old role.
        sid, token = self.new_staff("front_desk")
        ws = ws_client.WebSocket(self.s.port, "/ws?token=" + token)
        r = self.s.request("PATCH", "/api/v1/staff/" + sid, {"role": "housekeeping"},
                           token=self.admin)
        self.assertEqual(r.status, 200, r)
        self.assertSocketCloses(ws, "role change")
        ws.sock.close()
        # Deactivation.
        sid, token = self.new_staff("front_desk")
        ws = ws_client.WebSocket(self.s.port, "/ws?token=" + token)
        other = ws_client.WebSocket(self.s.port, "/ws?token=" + self.tokens["front_desk"])
        try:
            r = self.s.request("PATCH", "/api/v1/staff/" + sid, {"status": "inactive"},
                               token=self.admin)
            self.assertEqual(r.status, 200, r)
            self.assertSocketCloses(ws, "deactivation")
            ws.sock.close()
            other.send_json({"type": "ping"})
            self.assertEqual(other.recv()["type"], "pong", "another member's socket stays")
        finally:
            other.close()

    def test_a_message_of_only_invisible_characters_is_refused(self):
        session = self.s.new_session()
        for content in ["\u00a0", "\u200b", "\ufeff", "\u2060 \u200d", "\u0000"]:
            r = self.s.chat(session, content)
            self.assertEqual(r.status, 400, (content, r))
            self.assertEqual(r.json["error"]["field"] if "field" in r.json.get("error", {})
                             else "content", "content")
        self.assertEqual(self.s.history(session), [], "nothing was stored")
        self.assertEqual(self.s.chat(session, "\u00a0hi").status, 200)

    def test_a_billing_answer_is_withheld_from_staff_without_financial_permission(self):
        conf, last = demo_reservation()
        session = self.s.new_session()
        ok = self.s.request("POST", "/api/v1/webchat/identify",
                            {"confirmationNumber": conf, "lastName": last}, token=session)
        self.assertEqual(ok.status, 200, ok)
        sent = self.s.chat(session, "What is the balance on my bill?")
        self.assertEqual(sent.status, 200, sent)
        conv = sent.json["conversationId"]
        guest_view = self.s.history(session)
        reply = [m for m in guest_view if m["direction"] == "outbound"][-1]
        self.assertIn("balance", reply["content"].lower(), "the guest gets the answer")
        path = "/api/v1/conversations/%s/messages" % conv
        fd = self.s.request("GET", path, token=self.tokens["front_desk"])
        self.assertEqual(fd.status, 200, fd)
        fd_reply = [m for m in fd.json["items"] if m["id"] == reply["id"]][0]
        self.assertNotEqual(fd_reply["content"], reply["content"])
        self.assertIn("guest.view_financial", fd_reply["content"])
        mg = self.s.request("GET", path, token=self.tokens["manager"])
        mg_reply = [m for m in mg.json["items"] if m["id"] == reply["id"]][0]
        self.assertEqual(mg_reply["content"], reply["content"])

    def test_reopen_owner_staff_puts_an_unassigned_conversation_in_the_queue(self):
        r = self.s.request("PUT", "/api/v1/settings/conversations.reopen_owner", {"value": "staff"},
                           token=self.admin)
        self.assertEqual(r.status, 200, r)
        try:
            session, conv, _ = self.guest_conversation("Hello there")
            r = self.s.request("POST", "/api/v1/conversations/%s/resolve" % conv, {},
                               token=self.admin)
            self.assertEqual(r.status, 200, r)
            before = len(self.s.history(session))
            self.assertEqual(self.s.chat(session, "One more question").status, 200)
            c = self.s.request("GET", "/api/v1/conversations/" + conv, token=self.admin)
            self.assertEqual(c.json["state"], "escalated", "nobody owned it: the staff queue")
            after = self.s.history(session)
            self.assertFalse([m for m in after[before:] if m["senderType"] == "ai"],
                             "the AI does not answer a conversation reopened for staff")
        finally:
            self.s.request("PUT", "/api/v1/settings/conversations.reopen_owner", {"value": "ai"},
                           token=self.admin)

    def test_request_ids_transfer_codings_and_content_types_at_the_edge(self):
        r = self.s.request("GET", "/health", headers={"X-Request-Id": "abc-123.x:y_z"})
        self.assertEqual(r.headers.get("x-request-id"), "abc-123.x:y_z")
        r = self.s.request("GET", "/health", headers={"X-Request-Id": "evil\" level=admin"})
        self.assertNotIn("evil", r.headers.get("x-request-id", ""))
        self.assertTrue(r.headers.get("x-request-id"), "replaced by our own")
        r = self.s.raw_exchange(b"POST /api/v1/webchat/sessions HTTP/1.1\r\nHost: x\r\n"
                                b"Transfer-Encoding: gzip, chunked\r\n"
                                b"Content-Type: application/json\r\n\r\n0\r\n\r\n")
        self.assertEqual(r.status, 400, r)
        r = self.s.request("POST", "/api/v1/tasks", {"title": "x", "department": "housekeeping"},
                           token=self.admin, headers={"Content-Type": "text/plain"})
        self.assertError(r, 415, "UNSUPPORTED_MEDIA_TYPE")
        for path in ("/api/v1/tasks", "/api/v1/guests", "/api/v1/conversations",
                     "/api/v1/audit", "/api/v1/staff", "/api/v1/knowledge"):
            bad = self.s.request("GET", path + "?cursor=%27%20OR%201%3D1--", token=self.admin)
            self.assertError(bad, 400, "VALIDATION_ERROR")
        self.assertError(self.s.request("GET", "/api/v1/tasks?cursor=x%00y"), 401, "UNAUTHORIZED")

    def test_socket_handshakes_check_tokens(self):
        for path in ("/ws?token=garbage", "/ws", "/ws/chat?token=nope", "/ws/other?token=x"):
            ws = ws_client.WebSocket(self.s.port, path)
            self.assertIn(ws.status, (401, 404), path)
        header, payload, _ = jwt_parts(self.admin)
        short = sign(header, dict(payload, exp=int(time.time()) + 2), self.secret)
        ws = ws_client.WebSocket(self.s.port, "/ws?token=" + short)
        self.assertEqual(ws.status, 101)
        with self.assertRaises(ws_client.Closed) as closed:
            ws.sock.settimeout(10)
            while True:
                ws.recv()
        self.assertEqual(closed.exception.code, 1008, "closed when the token expires")

    def test_guest_socket_messages_are_stored_in_the_order_sent(self):
        # R3: frames sent back to back are stored (and answered) in order, so "make it three"
        # follows the towel request it changes.
        texts = ["could you send 2 towels to room 412", "make it three",
                 "What time is breakfast?", "thanks"]
        for _ in range(5):
            session = self.s.new_session()
            ws = ws_client.WebSocket(self.s.port, "/ws/chat?token=" + session)
            self.assertEqual(ws.status, 101)
            try:
                for t in texts:
                    ws.send_json({"type": "message", "content": t})
                ws.sock.settimeout(10)
                seen = []
                while len(seen) < len(texts):
                    m = ws.recv()
                    if m["type"] == "message" and m["message"]["direction"] == "inbound":
                        seen.append(m["message"]["content"])
                self.assertEqual(seen, texts)
            finally:
                ws.close()
            stored = [m["content"] for m in self.s.history(session) if m["direction"] == "inbound"]
            self.assertEqual(stored, texts)

    def test_guest_socket_sends_and_receives_the_conversation(self):
        session = self.s.new_session()
        ws = ws_client.WebSocket(self.s.port, "/ws/chat?token=" + session)
        self.assertEqual(ws.status, 101)
        try:
            ws.send_json({"type": "message", "content": "what is the wifi password?"})
            mine = ws.recv_until(lambda m: m["type"] == "message"
                                 and m["message"]["direction"] == "inbound")
            self.assertEqual(mine["message"]["content"], "what is the wifi password?")
            reply = ws.recv_until(lambda m: m["type"] == "message"
                                  and m["message"]["direction"] == "outbound")
            self.assertIn("sunset2026", reply["message"]["content"])
            ws.send_json({"type": "message", "content": "x" * 4001})
            err = ws.recv_until(lambda m: m["type"] == "error")
            self.assertEqual(err["error"]["code"], "VALIDATION_ERROR")
            ws.send_json({"type": "shout"})
            self.assertEqual(ws.recv_until(lambda m: m["type"] == "error")["error"]["code"],
                             "VALIDATION_ERROR")
        finally:
            ws.close()
        hist = self.s.history(session)
        self.assertEqual(len(hist), 2, "the over-long message was not stored")

    def test_a_slow_socket_is_dropped_not_buffered(self):
        ws = ws_client.WebSocket(self.s.port, "/ws?token=" + self.admin)
        self.assertEqual(ws.status, 101)
        ws.sock.setsockopt(__import__("socket").SOL_SOCKET, __import__("socket").SO_RCVBUF, 4096)
        try:
            before = self.s.request("GET", "/metrics").body.decode()
            big = "x" * 3900
            dropped = False
            for i in range(3000):
                r = self.s.request("POST", "/api/v1/tasks", {
                    "department": "concierge", "description": "%d %s" % (i, big)},
                    token=self.admin, check=False)
                self.assertEqual(r.status, 201, r)
                if i % 200 == 199:
                    m = self.s.request("GET", "/metrics").body.decode()
                    drops = [ln for ln in m.splitlines()
                             if ln.startswith("jack_websocket_dropped_total ")]
                    if drops and int(drops[0].split()[1]) > int(
                            [ln for ln in before.splitlines()
                             if ln.startswith("jack_websocket_dropped_total ")][0].split()[1]):
                        dropped = True
                        break
            self.assertTrue(dropped, "a socket that never reads is closed, not buffered forever")
            self.assertTrue(self.s.alive())
        finally:
            ws.sock.close()

    # ---- bad input on every write endpoint ----

    def test_bad_bodies_on_every_write_endpoint_get_4xx_and_store_nothing(self):
        tables = ("guests", "reservations", "conversations", "messages", "tasks", "knowledge_base",
                  "staff", "automation_rules", "settings")
        session = self.s.new_session()
        _, conv, _ = self.guest_conversation("hello")
        task = self.s.request("POST", "/api/v1/tasks", {"department": "concierge",
                                                        "description": "fuzz target"},
                              token=self.admin).json["id"]
        before = {t: self.count(t) for t in tables}
        deep = b"[" * 200 + b"]" * 200
        bodies = [b"{", b"not json", b"[]", b'"a string"', b"42", b"null", deep,
                  b'{"a": "\xff\xfe"}', b"{\"content\": \"\x00\"", b'{"x": ' + deep + b"}"]
        writes = []
        for path, ops in self.doc["paths"].items():
            for method in ("post", "put", "patch"):
                if method in ops and "requestBody" in ops[method]:
                    url = (path.replace("{id}", task if "/tasks/" in path else conv)
                           .replace("{key}", "hotel.name")
                           .replace("{confirmationNumber}", "FUZZ-1"))
                    if "/guests/" in path or "/staff/" in path or "/knowledge/" in path or \
                            "/automation/" in path:
                        url = path.replace("{id}", FAKE_ID)
                    writes.append((method.upper(), url, ops[method]))
        self.assertGreater(len(writes), 20)
        for method, url, op in writes:
            token = session if op.get("security") == [{"webchatSession": []}] else self.admin
            if op.get("security") == []:
                token = None
            for body in bodies + self.wrong_type_bodies(op):
                if body == b"[]" and url.endswith("/import"):
                    continue  # an empty import is a valid one
                r = self.s.request(method, url, raw=body, token=token)
                self.assertIn(r.status, (400, 404, 409, 413, 415, 422, 429), (method, url, body, r))
            # A body declared larger than the route's limit is refused before it is read.
            head = ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: %d\r\n%s\r\n" % (
                        method, url, 9 * 1024 * 1024,
                        "Authorization: Bearer %s\r\n" % token if token else "")).encode()
            r = self.s.raw_exchange(head + b'{"content": "' + b"a" * 65536)
            self.assertEqual(r.status, 413, (method, url, r))
            self.assertEqual(r.error_code(), "PAYLOAD_TOO_LARGE")
        self.assertTrue(self.s.alive())
        self.assertEqual({t: self.count(t) for t in tables}, before, "nothing was stored")

    def wrong_type_bodies(self, op):
        """For each property of the operation's body schema, a body where it has a wrong type
        (a number for a string, a string for an array or object, ...)."""
        ref = op["requestBody"]["content"]["application/json"]["schema"].get("$ref", "")
        schema = self.doc["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
        if schema.get("type") != "object":
            return []
        out = []
        for name, prop in schema.get("properties", {}).items():
            if "$ref" in prop:
                prop = self.doc["components"]["schemas"][prop["$ref"].rsplit("/", 1)[-1]]
            types = prop.get("type", "string")
            types = types if isinstance(types, list) else [types]
            wrong = 12345 if "string" in types else "not-%s" % types[0]
            if "number" in types or "integer" in types:
                wrong = "not-a-number"
            if "boolean" in types:
                wrong = "yes"
            out.append(json.dumps({name: wrong}).encode())
        return out

    def test_injection_strings_are_stored_as_text_and_come_back_byte_for_byte(self):
        nasty = ["Robert'); DROP TABLE guests;--", "<script>alert(1)</script>", "\" OR 1=1 --",
                 "👩‍👩‍👧‍👦 ﷽ 漢字 é", "%00%0d%0a", "${jndi:ldap://x}", "{{7*7}}"]
        for n in nasty:
            r = self.s.request("POST", "/api/v1/guests", {"firstName": n, "lastName": "Tester"},
                               token=self.admin)
            self.assertEqual(r.status, 201, r)
            g = self.s.request("GET", "/api/v1/guests/" + r.json["id"], token=self.admin)
            self.assertEqual(g.json["firstName"], n)
            q = self.s.request("GET", "/api/v1/guests?q=" + urllib.parse.quote(n),
                               token=self.admin)
            self.assertEqual(q.status, 200, q)
            self.assertIn(r.json["id"], [x["id"] for x in q.json["items"]])
        self.assertGreater(self.count("guests"), 0, "the guests table is still there")


class SecurityEdgesWithRateLimits(unittest.TestCase):
    """A server with rate limits on and 127.0.0.1 as a trusted proxy."""

    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server(rate_limits=True, extra_env={"JACK_TRUSTED_PROXIES": "127.0.0.1"})

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.stop()

    def test_login_lockout_counts_the_forwarded_address_of_a_trusted_proxy(self):
        s = self.server
        attacker = {"X-Forwarded-For": "203.0.113.9"}
        for i in range(5):
            r = s.request("POST", "/api/v1/auth/login",
                          {"email": "nobody%d@miramar.example" % i, "password": "wrong"},
                          headers=attacker)
            self.assertEqual(r.status, 401, r)
        r = s.request("POST", "/api/v1/auth/login",
                      {"email": ADMIN[0], "password": ADMIN[1]}, headers=attacker)
        self.assertEqual(r.status, 429, "unknown emails count too, per address")
        self.assertTrue(r.header("Retry-After"))
        other = s.request("POST", "/api/v1/auth/login", {"email": ADMIN[0], "password": ADMIN[1]},
                          headers={"X-Forwarded-For": "198.51.100.7"})
        self.assertEqual(other.status, 200, "another client behind the proxy is not locked out")

    def test_webchat_sessions_are_limited_per_address(self):
        s = self.server
        who = {"X-Forwarded-For": "192.0.2.44"}
        codes = [s.request("POST", "/api/v1/webchat/sessions", {}, headers=who).status
                 for _ in range(61)]
        self.assertEqual(codes[:60], [201] * 60)
        self.assertEqual(codes[60], 429)

    def test_guest_socket_over_the_rate_gets_an_error_frame_and_nothing_is_stored(self):
        s = self.server
        session = s.new_session()
        ws = ws_client.WebSocket(s.port, "/ws/chat?token=" + session)
        try:
            for i in range(11):
                ws.send_json({"type": "message", "content": "hello %d" % i})
            err = ws.recv_until(lambda m: m["type"] == "error", limit=100)
            self.assertEqual(err["error"]["code"], "RATE_LIMITED")
            self.assertGreater(err["error"]["retryAfter"], 0)
        finally:
            ws.close()
        time.sleep(0.3)
        inbound = [m for m in s.history(session) if m["direction"] == "inbound"]
        self.assertEqual(len(inbound), 10)

    def test_at_most_five_sockets_per_web_chat_session(self):
        s = self.server
        session = s.new_session()
        socks = [ws_client.WebSocket(s.port, "/ws/chat?token=" + session) for _ in range(5)]
        try:
            self.assertEqual([w.status for w in socks], [101] * 5)
            time.sleep(0.2)
            sixth = ws_client.WebSocket(s.port, "/ws/chat?token=" + session)
            self.assertEqual(sixth.status, 429)
        finally:
            for w in socks:
                w.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
