"""The quality bars of the product (ai.md and issue "The main job end to end").

- the 60 sample messages, sent through POST /api/v1/webchat/messages of a running server;
- CLINC150 validation (never trained on) through the local pipeline;
- the held-out eighth of our own utterances (data/intents, split by a hash of the text; the
  model never trains on it), written out by jack_train --write-heldout.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

JACK = os.environ.get("JACK_BIN", "build/jack")
JACK_TRAIN = os.environ.get("JACK_TRAIN_BIN", "build/jack_train")
SRC = os.path.join(os.path.dirname(__file__), "..", "..")


def eval_json(*args, env=None):
    out = subprocess.run([JACK, "eval", "--json", *args], capture_output=True, text=True,
                         env=env, timeout=600)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


class SamplesThroughHttp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        port_file = os.path.join(cls.tmp.name, "port")
        cls.env = dict(os.environ, JACK_BCRYPT_COST="4", JACK_RATE_LIMITS="off",
                       JACK_LOG_LEVEL="warn")
        cls.proc = subprocess.Popen(
            [JACK, "serve", "--demo", "--port", "0", "--port-file", port_file,
             "--db", os.path.join(cls.tmp.name, "jack.db")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cls.env)
        deadline = time.time() + 30
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if time.time() > deadline or cls.proc.poll() is not None:
                raise RuntimeError("jack serve did not start")
            time.sleep(0.05)
        cls.url = "http://127.0.0.1:" + open(port_file).read().strip()

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=10)
        cls.tmp.cleanup()

    def test_samples_bar(self):
        [r] = eval_json(os.path.join(SRC, "eval", "guest-messages.jsonl"), "--url", self.url,
                        "--email", "admin@miramar.example", "--password", "demo-admin-2026",
                        env=self.env)
        print(json.dumps({k: v for k, v in r.items() if k != "failures"}), file=sys.stderr)
        for f in r["failures"]:
            print("miss:", f, file=sys.stderr)
        self.assertEqual(r["total"], 60)
        self.assertGreaterEqual(r["fullyRightRate"], 0.90)
        self.assertEqual(r["mustEscalateRecall"], 1.0)  # every emergency and hand-off request
        self.assertGreaterEqual(r["escalationPrecision"], 0.80)
        self.assertEqual(r["falseTaskRate"], 0.0)  # no task for inquiries and small talk
        # Speed is a benchmark figure (bench/run.sh), not asserted here.


class ClincValidation(unittest.TestCase):
    def test_clinc_bars(self):
        val, oos = eval_json(os.path.join(SRC, "eval", "clinc150", "val.jsonl"),
                             os.path.join(SRC, "eval", "clinc150", "oos_val.jsonl"))
        print(json.dumps({k: v for k, v in val.items() if k != "failures"}), file=sys.stderr)
        print(json.dumps({k: v for k, v in oos.items() if k != "failures"}), file=sys.stderr)
        self.assertGreaterEqual(oos["oosRecall"], 0.85)
        self.assertGreaterEqual(val["otherDomainRecall"], 0.85)
        false_tasks = (val["falseTaskRateOutOfScope"] * 2480 + oos["falseTaskRateOutOfScope"] * 100)
        self.assertLessEqual(false_tasks / 2580, 0.03)
        self.assertLessEqual(val["requestEscalationRate"], 0.10)


class OwnHeldOut(unittest.TestCase):
    def test_held_out_figures(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "held-out.jsonl")
            out = subprocess.run([JACK_TRAIN, "--data", os.path.join(SRC, "data"),
                                  "--write-heldout", path], capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
            [r] = eval_json(path)
        print(json.dumps({k: v for k, v in r.items() if k != "failures"}), file=sys.stderr)
        self.assertGreater(r["total"], 1400)
        # Floors under the figures measured when they were set (86.8%, 81.3%, 96.8%, 4.3%;
        # regression guards: the bars are higher and reported by bench/run.sh).
        self.assertGreaterEqual(r["familyAccuracy"], 0.84)
        self.assertGreaterEqual(r["departmentAccuracy"], 0.78)
        self.assertGreaterEqual(r["mustEscalateRecall"], 0.96)
        self.assertLessEqual(r["falseTaskRate"], 0.05)


if __name__ == "__main__":
    unittest.main(verbosity=2)
