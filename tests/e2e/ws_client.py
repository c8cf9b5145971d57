"""A minimal WebSocket client (RFC 6455) for the end-to-end tests: text frames, ping/pong and
close. Standard library only."""
import base64
import json
import os
import socket
import struct


class Closed(Exception):
    def __init__(self, code, reason):
        super().__init__("closed %s %s" % (code, reason))
        self.code = code
        self.reason = reason


class WebSocket:
    def __init__(self, port, path, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
            % (path, port, key)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            head += chunk
        head, _, self.pending = head.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
        self.body = b""
        if self.status != 101:
            # Read the refusal's body (the connection closes after it).
            try:
                while True:
                    chunk = self.sock.recv(4096)
                    if not chunk:
                        break
                    self.pending += chunk
            except socket.timeout:
                pass
            self.body = self.pending
            self.sock.close()

    def _recv_exact(self, n):
        while len(self.pending) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Closed(1006, "connection lost")
            self.pending += chunk
        out, self.pending = self.pending[:n], self.pending[n:]
        return out

    def send_frame(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send_json(self, obj):
        self.send_frame(1, json.dumps(obj).encode())

    def recv(self):
        """The next text frame as JSON; raises Closed on a close frame."""
        while True:
            b0, b1 = self._recv_exact(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._recv_exact(8))[0]
            payload = self._recv_exact(n)
            if opcode == 1:
                return json.loads(payload.decode("utf-8"))
            if opcode == 8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                raise Closed(code, payload[2:].decode("utf-8", "replace"))
            if opcode == 9:
                self.send_frame(10, payload)

    def recv_until(self, pred, limit=50):
        for _ in range(limit):
            m = self.recv()
            if pred(m):
                return m
        raise AssertionError("no matching frame in %d frames" % limit)

    def close(self):
        try:
            self.send_frame(8, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()
