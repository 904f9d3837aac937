#!/usr/bin/env python3
"""A WebSocket client that stops reading: the slow consumer of the hardening tests.

Usage: stalled_socket.py HOST PORT PATH TOKEN RCVBUF SUBPROTOCOL

Opens a socket with a small SO_RCVBUF (set before connect so the TCP window stays small),
performs the upgrade (the given subprotocol, bearer token header) and prints "open".
Then it reads nothing until told to on stdin:
  send HEX   sends one masked binary frame with these payload bytes
  read       reads everything the server queued, prints "close CODE REASON" (or "eof")
             once the connection ends, and exits
Node cannot set SO_RCVBUF on a TCP socket, hence Python.
"""
import base64, os, socket, struct, sys

host, port, path, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rcvbuf = int(sys.argv[5]) if len(sys.argv) > 5 else 2048
subprotocol = sys.argv[6] if len(sys.argv) > 6 else "tickwire.v2"



def refuse(line: str) -> None:
    """The upgrade failed: say so on stdout (the test reads lines, not the exit status)."""
    print(line, flush=True)
    raise SystemExit


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
s.connect((host, port))
key = base64.b64encode(os.urandom(16)).decode()
s.sendall((
    f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {subprotocol}\r\n"
    f"Authorization: Bearer {token}\r\n\r\n"
).encode())
head = b""
while b"\r\n\r\n" not in head:
    chunk = s.recv(1)
    if not chunk:
        refuse("refused")
    head += chunk
status = head.split(b"\r\n", 1)[0].decode()
if " 101 " not in status + " ":
    refuse("refused " + status)
print("open", flush=True)


def send_frame(payload: bytes) -> None:
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x82, 0x80 | n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x82, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x82, 0x80 | 127, n)
    s.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def read_until_close() -> None:
    buf = b""
    while True:
        try:
            chunk = s.recv(65536)
        except OSError:
            chunk = b""
        if not chunk:
            print("eof", flush=True)
            return
        buf += chunk
        while len(buf) >= 2:
            op, ln = buf[0] & 0x0F, buf[1] & 0x7F
            at = 2
            if ln == 126:
                if len(buf) < 4:
                    break
                ln, at = struct.unpack("!H", buf[2:4])[0], 4
            elif ln == 127:
                if len(buf) < 10:
                    break
                ln, at = struct.unpack("!Q", buf[2:10])[0], 10
            if len(buf) < at + ln:
                break
            payload, buf = buf[at:at + ln], buf[at + ln:]
            if op == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                print(f"close {code} {payload[2:].decode(errors='replace')}", flush=True)
                return


for line in sys.stdin:
    cmd = line.strip().split(" ", 1)
    if cmd[0] == "send":
        send_frame(bytes.fromhex(cmd[1]))
    elif cmd[0] == "read":
        read_until_close()
        break
s.close()
