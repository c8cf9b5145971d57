#!/usr/bin/env python3
"""Fills a Jack database (migrated, e.g. by `jack seed demo`) with N web-chat conversations,
each with a guest, a reservation and two messages, for the conversation-list load test.
Usage: seed_inbox.py DB N"""
import datetime
import sqlite3
import sys
import uuid

db, n = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(db)
now = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)  # noqa
rows_g, rows_r, rows_c, rows_m = [], [], [], []
for i in range(n):
    t = now + datetime.timedelta(seconds=i * 7)
    gid, rid, cid = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    rows_g.append((gid, "Guest%d" % i, "Bench", "bench%d@example.com" % i, iso(t), iso(t)))
    rows_r.append((rid, gid, "BENCH-%d" % i, str(100 + i % 900), "Double", "2026-12-01",
                   "2026-12-05", iso(t), iso(t), iso(t)))
    waiting = i % 3 == 0
    state = "escalated" if i % 10 == 0 else "active"
    last = iso(t + datetime.timedelta(seconds=2))
    ms = int((t + datetime.timedelta(seconds=2)).timestamp() * 1000)
    rank = (0 if waiting else 1) if state == "escalated" else (2 if waiting else 3)
    key = "%d|%013d" % (rank, ms if waiting else 9999999999999 - ms)
    rows_c.append((cid, gid, rid, "webchat", str(uuid.uuid4()), state, "{}", last,
                   last if waiting else None, key, iso(t), last))
    rows_m.append((str(uuid.uuid4()), cid, "inbound", "guest", "Could I get towels? #%d" % i,
                   iso(t)))
    rows_m.append((str(uuid.uuid4()), cid, "outbound" if not waiting else "inbound",
                   "ai" if not waiting else "guest", "Certainly!" if not waiting else "hello?",
                   last))
conn.executemany("INSERT INTO guests (id, first_name, last_name, email, created_at, updated_at)"
                 " VALUES (?,?,?,?,?,?)", rows_g)
conn.executemany("INSERT INTO reservations (id, guest_id, confirmation_number, room_number,"
                 " room_type, arrival_date, departure_date, synced_at, created_at, updated_at)"
                 " VALUES (?,?,?,?,?,?,?,?,?,?)", rows_r)
conn.executemany("INSERT INTO conversations (id, guest_id, reservation_id, channel_type,"
                 " channel_id, state, metadata, last_message_at, awaiting_since, queue_key,"
                 " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows_c)
conn.executemany("INSERT INTO messages (id, conversation_id, direction, sender_type, content,"
                 " created_at) VALUES (?,?,?,?,?,?)", rows_m)
conn.commit()
print("seeded %d conversations" % n)
