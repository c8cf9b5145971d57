#!/usr/bin/env python3
"""End to end: `jack serve` with a remote embedding provider (a fake OpenAI /v1/embeddings
server on loopback). The knowledge index follows the provider, new entries are found by
vector before the answer, and a provider that is down costs no data."""

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_providers import FakeChat, FakeEmbeddings  # noqa: E402
from test_e2e import ADMIN, Server, clean_env, run_cli  # noqa: E402


class ShutdownWhileEmbedding(unittest.TestCase):
    """SIGTERM while guests wait on a stalled embedder: every accepted message is stored and
    answered, and every guest gets the answer (not a closed connection)."""

    def test_waiting_guests_get_their_answers(self):
        import concurrent.futures
        import signal
        fake = FakeEmbeddings(dims=64, meanings=True)
        server = Server(rate_limits=False, extra_env={
            "JACK_EMBEDDING_PROVIDER": "openai", "JACK_EMBEDDING_BASE_URL": fake.base_url,
            "JACK_EMBEDDING_API_KEY": fake.key, "JACK_EMBEDDING_MODEL": "fake-embed",
            "JACK_EMBEDDING_DIMENSIONS": "64"})
        try:
            sessions = [server.new_session() for _ in range(12)]
            fake.mode = "stall"
            with concurrent.futures.ThreadPoolExecutor(12) as pool:
                futures = [pool.submit(server.chat, t, "Is there a helipad on the roof? %d" % i)
                           for i, t in enumerate(sessions)]
                time.sleep(0.4)
                server.proc.send_signal(signal.SIGTERM)
                self.assertEqual(server.proc.wait(30), 0)
                answers = [f.result() for f in futures]
            for r in answers:
                self.assertEqual(r.status, 200, r)
                self.assertTrue(r.json["replies"], r.json)
            with sqlite3.connect(server.db) as conn:
                stored = conn.execute("SELECT count(*) FROM messages WHERE direction = 'inbound' "
                                      "AND content LIKE 'Is there a helipad%'").fetchone()[0]
            self.assertEqual(stored, 12)
        finally:
            fake.mode = "ok"
            server.stop()
            fake.stop()


class RemoteEmbeddings(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeEmbeddings(dims=64, meanings=True)
        cls.server = Server(rate_limits=False, extra_env={
            "JACK_EMBEDDING_PROVIDER": "openai",
            "JACK_EMBEDDING_BASE_URL": cls.fake.base_url,
            "JACK_EMBEDDING_API_KEY": cls.fake.key,
            "JACK_EMBEDDING_MODEL": "fake-embed",
            "JACK_EMBEDDING_DIMENSIONS": "64",
        })
        cls.token = cls.server.login(*ADMIN)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.fake.stop()

    def db(self):
        conn = sqlite3.connect(self.server.db, timeout=10)
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn

    def setting(self, key):
        with self.db() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def search(self, q):
        r = self.server.request("GET", "/api/v1/knowledge/search?q=" + q.replace(" ", "+"),
                                token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json["items"]

    def test_a_the_index_follows_the_provider(self):
        self.assertEqual(self.server.request("GET", "/health/ready").json["knowledgeIndex"],
                         "current")
        self.assertEqual(self.setting("embeddings.model"), "fake-embed")
        self.assertEqual(self.setting("embeddings.dimensions"), "64")
        with self.db() as conn:
            chunks = conn.execute("SELECT count(*) FROM knowledge_chunks").fetchone()[0]
            vectors = conn.execute("SELECT count(*) FROM knowledge_embeddings_rowids").fetchone()[0]
        self.assertGreater(chunks, 0)
        self.assertEqual(vectors, chunks, "every chunk has its provider vector")
        with self.db() as conn:
            ddl = conn.execute("SELECT sql FROM sqlite_master WHERE name = "
                               "'knowledge_embeddings'").fetchone()[0]
        self.assertIn("float[64]", ddl.lower(), "the vec0 table has the provider's length")
        self.assertTrue(self.fake.requests)
        self.assertTrue(all(r["body"]["model"] == "fake-embed" for r in self.fake.requests))
        self.assertNotIn("dimensions", self.fake.requests[0]["body"],
                         "only text-embedding-3 models are asked for a length")
        # The key never reaches the logs.
        self.assertNotIn(self.fake.key, self.server.stdout() + self.server.stderr())

    def test_b_a_new_entry_is_found_by_vector_before_the_answer(self):
        r = self.server.request("POST", "/api/v1/knowledge", {
            "category": "amenity", "title": "Rooftop telescope",
            "content": "Guests may use the brass telescope on the rooftop terrace after dusk."},
            token=self.token)
        self.assertEqual(r.status, 201, r)
        hits = self.search("brass telescope rooftop")
        top = hits[0]
        self.assertEqual(top["id"], r.json["id"])
        self.assertIsNotNone(top["vectorDistance"], "found by its provider vector too")
        # The query was embedded by the provider.
        self.assertIn("brass telescope rooftop",
                      [t for q in self.fake.requests for t in q["body"]["input"]])

    def test_b2_a_question_in_another_language_is_answered_by_meaning(self):
        r = self.server.request("POST", "/api/v1/knowledge", {
            "category": "amenity", "title": "Stargazing",
            "content": "The stargazing telescope on the roof is free for guests at night."},
            token=self.token)
        self.assertEqual(r.status, 201, r)
        session = self.server.new_session()
        before = len(self.fake.requests)
        q = "¿El telescopio de la azotea es gratis para huéspedes por la noche?"
        out = self.server.chat(session, q)
        self.assertEqual(out.status, 200, out)
        reply = out.json["replies"][0]["content"]
        # The words found nothing ("telescopio" is no word of the entry): the question's
        # vector found the entry, and the reply quotes it with a word on its language.
        self.assertIn("stargazing telescope", reply)
        self.assertIn("inglés", reply)
        self.assertIn(q, [t for x in self.fake.requests[before:] for t in x["body"]["input"]])

    def test_b3_a_stalled_provider_costs_a_question_at_most_a_second(self):
        self.fake.mode = "stall"
        try:
            session = self.server.new_session()
            t0 = time.time()
            out = self.server.chat(session, "¿Hay un telescopio en la azotea del hotel?")
            elapsed = time.time() - t0
        finally:
            self.fake.mode = "ok"
        self.assertEqual(out.status, 200, out)
        self.assertTrue(out.json["replies"], "the guest has an answer (the words' one)")
        # The question's embedding has a budget of 1 s; the fake stalls for 5 s.
        self.assertLess(elapsed, 2.5)

    def test_c_with_the_provider_down_entries_are_kept_and_found_by_text(self):
        self.fake.mode = "fail"
        try:
            r = self.server.request("POST", "/api/v1/knowledge", {
                "category": "amenity", "title": "Pedal boats",
                "content": "Pedal boats can be hired at the lake pier from May to September."},
                token=self.token)
            self.assertEqual(r.status, 201, r)
            hits = self.search("pedal boats")
            self.assertTrue(hits and hits[0]["id"] == r.json["id"], hits)
            self.assertIsNone(hits[0]["vectorDistance"], "no vector while the provider is down")
            self.assertEqual(self.server.request("GET", "/health").status, 200)
        finally:
            self.fake.mode = "ok"
        # Back up: a reindex gives every chunk its vector again.
        r = self.server.request("POST", "/api/v1/knowledge/reindex", {}, token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["dimensions"], 64)
        with self.db() as conn:
            chunks = conn.execute("SELECT count(*) FROM knowledge_chunks").fetchone()[0]
            vectors = conn.execute("SELECT count(*) FROM knowledge_embeddings_rowids").fetchone()[0]
        self.assertEqual(vectors, chunks)
        self.assertIsNotNone(self.search("pedal boats")[0]["vectorDistance"])

    def test_d_a_stalled_provider_does_not_hold_other_work(self):
        self.fake.mode = "stall"
        created = {}

        def create():
            created["r"] = self.server.request("POST", "/api/v1/knowledge", {
                "category": "amenity", "title": "Kayak rental",
                "content": "Kayaks can be rented at the boathouse from nine to five."},
                token=self.token)

        # A knowledge entry waits for its vectors from the stalled provider meanwhile.
        writer = threading.Thread(target=create)
        writer.start()
        try:
            deadline = time.time() + 5
            while not self.fake.requests_in_flight() and time.time() < deadline:
                time.sleep(0.02)
            self.assertTrue(self.fake.requests_in_flight(), "the provider is being asked")
            t0 = time.time()
            # Guests are answered (the pipeline does not wait on the embedding provider)...
            session = self.server.new_session()
            sent = self.server.chat(session, "What time is breakfast?")
            self.assertEqual(sent.status, 200, sent)
            # ...staff log in (bcrypt does not share the provider's threads)...
            self.assertTrue(self.server.login(*ADMIN))
            # ...and staff lists load.
            r = self.server.request("GET", "/api/v1/conversations", token=self.token)
            self.assertEqual(r.status, 200, r)
            self.assertLess(time.time() - t0, 2.0)
            self.assertTrue(writer.is_alive(), "the entry was still waiting for the provider")
        finally:
            self.fake.mode = "ok"
            writer.join(60)
        self.assertEqual(created["r"].status, 201, created.get("r"))


class RemoteChatModel(unittest.TestCase):
    """JACK_AI_PROVIDER=openai against a fake chat server: the model writes knowledge answers
    and small talk; tasks, emergencies and hand-offs stay the local engine's; a failing or
    stalled model costs the guest nothing but the time-out."""

    protocol = "openai"

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeChat(cls.protocol)
        cls.server = Server(rate_limits=False, extra_env={
            "JACK_AI_PROVIDER": cls.protocol,
            "JACK_AI_BASE_URL": cls.fake.base_url,
            "JACK_AI_API_KEY": cls.fake.key,
            "JACK_AI_MODEL": "fake-model",
            "JACK_AI_TIMEOUT_MS": "600",
        })
        cls.token = cls.server.login(*ADMIN)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.fake.stop()

    def setUp(self):
        self.fake.mode = "ok"
        self.fake.requests.clear()

    def ask(self, session, text):
        t0 = time.time()
        r = self.server.chat(session, text)
        self.assertEqual(r.status, 200, r)
        return r.json, time.time() - t0

    def test_a_the_model_writes_knowledge_answers_from_the_prompt(self):
        session = self.server.new_session()
        out, _ = self.ask(session, "What time is breakfast served?")
        self.assertEqual(out["replies"][0]["content"], "MODEL: What time is breakfast served?")
        self.assertEqual(out["replies"][0]["senderType"], "ai")
        req = self.fake.requests[-1]
        prompt = json.dumps(req["body"])
        self.assertIn("Breakfast", prompt, "the knowledge found is in the prompt")
        self.assertIn("Never invent", prompt)
        self.assertEqual(req["body"]["model"], "fake-model")
        # A follow-up carries the conversation so far.
        out, _ = self.ask(session, "and on Sunday?")
        self.assertTrue(out["replies"])
        history = self.fake.requests[-1]["body"]["messages"]
        self.assertIn("What time is breakfast served?", json.dumps(history))

    def test_a2_a_retried_message_is_replayed_without_a_model_call(self):
        session = self.server.new_session()
        headers = {"Idempotency-Key": "retry-breakfast-1"}
        first = self.server.request("POST", "/api/v1/webchat/messages",
                                    {"content": "When does breakfast start?"}, token=session,
                                    headers=headers)
        self.assertEqual(first.status, 200, first)
        calls = len(self.fake.requests)
        self.assertGreater(calls, 0)
        again = self.server.request("POST", "/api/v1/webchat/messages",
                                    {"content": "When does breakfast start?"}, token=session,
                                    headers=headers)
        self.assertEqual(again.status, 200, again)
        self.assertEqual(again.json, first.json)
        self.assertEqual(len(self.fake.requests), calls, "the replay asked the model again")

    def test_b_tasks_and_emergencies_never_wait_for_the_model(self):
        session = self.server.new_session()
        out, _ = self.ask(session, "Could I get two extra towels in room 412 please?")
        self.assertNotIn("MODEL:", out["replies"][0]["content"])
        out, _ = self.ask(session, "There is smoke coming from the corridor!")
        self.assertEqual(out["replies"][0]["senderType"], "system")
        self.assertEqual(self.fake.requests, [], "the model was not asked")

    def test_c_the_model_may_ask_for_a_person(self):
        session = self.server.new_session()
        # A question the local model is sure of (below escalation.threshold Jack escalates
        # on its own, and the model would not be asked).
        out, _ = self.ask(session, "When is breakfast served? handoff-please")
        self.assertEqual(out["replies"][0]["senderType"], "system")
        conv = self.server.request("GET", "/api/v1/conversations/" + out["conversationId"],
                                   token=self.token)
        self.assertEqual(conv.json["state"], "escalated")
        self.assertTrue(self.fake.requests, "the hand-off came from the model")

    def test_d_a_failing_or_stalled_model_falls_back_to_the_local_reply(self):
        session = self.server.new_session()
        self.fake.mode = "fail"
        out, _ = self.ask(session, "What time is breakfast served?")
        local = out["replies"][0]["content"]
        self.assertNotIn("MODEL:", local)
        self.assertIn("07:00", local, "the local engine's answer from the knowledge base")
        self.fake.mode = "stall"
        out, took = self.ask(session, "Is there a swimming pool?")
        self.assertTrue(out["replies"] and "MODEL:" not in out["replies"][0]["content"])
        self.assertLess(took, 0.6 + 0.5, "the time-out (600 ms) and little more")
        # Recovered: the conversation goes on with the model.
        self.fake.mode = "ok"
        out, _ = self.ask(session, "What time is breakfast served?")
        self.assertTrue(out["replies"][0]["content"].startswith("MODEL:"))

    def test_e_usage_is_in_the_metrics_and_the_key_in_no_log(self):
        session = self.server.new_session()
        self.ask(session, "Hello!")
        m = self.server.request("GET", "/metrics").body.decode()
        self.assertRegex(m, r'jack_ai_calls_total\{provider="%s"\} [1-9]' % self.protocol)
        self.assertRegex(m, r'jack_ai_tokens_total\{provider="%s",direction="input"\} [1-9]'
                         % self.protocol)
        self.assertNotIn(self.fake.key, self.server.stdout() + self.server.stderr())


class RemoteAnthropicModel(RemoteChatModel):
    protocol = "anthropic"


class BadEmbeddingConfiguration(unittest.TestCase):
    def test_unknown_provider_or_length_is_a_clear_error_at_start(self):
        tmp = tempfile.mkdtemp(prefix="jack-e2e-")
        try:
            for env, words in (({"JACK_EMBEDDING_PROVIDER": "bert"}, "JACK_EMBEDDING_PROVIDER"),
                               ({"JACK_EMBEDDING_PROVIDER": "openai",
                                 "JACK_EMBEDDING_MODEL": "my-model"}, "JACK_EMBEDDING_DIMENSIONS"),
                               ({"JACK_EMBEDDING_PROVIDER": "openai",
                                 "JACK_EMBEDDING_DIMENSIONS": "-3"}, "JACK_EMBEDDING_DIMENSIONS")):
                full = clean_env(False)
                full.update(env)
                r = run_cli(["serve", "--port", "0", "--db", os.path.join(tmp, "j.db")], full,
                            tmp)
                self.assertNotEqual(r.returncode, 0, env)
                self.assertIn(words, r.stderr.decode() + r.stdout.decode(), env)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
