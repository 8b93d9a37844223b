#!/usr/bin/env python3
"""`lodestone serve` under attack: each check is a hole that was open once, and fails if it opens
again. Bounds on time are generous functional bounds (seconds where a healthy server needs
milliseconds), not benchmarks.
Usage: serve_attack.py LODESTONE_BINARY
"""
import zlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

LODE = sys.argv[1]
failures = []
MAX_BODY = 1 << 20  # --max-body for these tests: 1 MiB


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def start(*args):
    env = {k: v for k, v in os.environ.items() if k != "LODESTONE_TOKEN"}
    proc = subprocess.Popen([LODE, "serve", "--no-workspace", "--max-body", str(MAX_BODY), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        sys.exit("did not start: %r\n%s" % (line, proc.stderr.read()))
    return proc, int(m.group(1))


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def raw(port, data, timeout=30.0):
    """Sends raw bytes (as far as the server reads them) and returns the response's status line."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server answered and closed before reading everything: read its answer
        got = b""
        while b"\r\n" not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        return got.split(b"\r\n")[0].decode("latin-1")
    except OSError as e:
        return "error: %s" % e
    finally:
        s.close()


def get_health(port, timeout=30.0, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("GET", "/api/v1/health", headers=headers or {})
    return c.getresponse().status


proc, port = start()
base_rss = peak_rss_kib(proc.pid)

# Compressed and chunked bodies: the limit counts decoded bytes.
packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
zeros = b"\0" * (1 << 20)
bomb = b"".join(packer.compress(zeros) for _ in range(256)) + packer.flush()  # 256 MiB of zeros, ~250 KiB
status = raw(port, b"POST /api/v1/dataset/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb) + bomb)
check(status.startswith("HTTP/1.1 413"), "a gzip body decoding beyond --max-body gets 413 (got %r)" % status)
grown_mib = (peak_rss_kib(proc.pid) - base_rss) / 1024
check(grown_mib < 64, "the gzip body did not take memory (peak RSS grew %.0f MiB, limit 64)" % grown_mib)

chunk = b"x" * 65536
chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(40)) + b"0\r\n\r\n"  # 2.5 MiB
status = raw(port, b"POST /api/v1/dataset/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             b"Transfer-Encoding: chunked\r\n\r\n" + chunked)
check(status.startswith("HTTP/1.1 413"), "a chunked body beyond --max-body gets 413 (got %r)" % status)
status = raw(port, b"POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
check(status.startswith("HTTP/1.1 404"), "a chunked body to a path outside the API is not read (got %r)" % status)
check(get_health(port) == 200, "the server still answers after the oversized bodies")

# A POST without a body and without Content-Length has an empty body, at once.
t0 = time.monotonic()
status = raw(port, b"POST /api/v1/simulate HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", timeout=10)
took = time.monotonic() - t0
check(status.startswith("HTTP/1.1 4") and took < 2.5,
      "a POST without Content-Length is an empty body, answered at once (%r after %.1f s)" % (status, took))

# Cross-site requests and DNS rebinding.
c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
c.request("POST", "/api/v1/simulate?scenario=cn_gagesb_us_ban_lapse", body="x = 1",
          headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
r = c.getresponse()
r.read()
check(r.status == 403, "a cross-origin text/plain POST is refused (got %d)" % r.status)
check(get_health(port, headers={"Host": "evil.example:%d" % port}) == 403,
      "a request naming another host (DNS rebinding) is refused")
check(get_health(port, headers={"Origin": "http://127.0.0.1:%d" % port}) == 200,
      "the dashboard's own origin is served")

# Slow clients: 64 connections each sending a header line every second do not stop a fresh one.
stop_slow = threading.Event()
slow = []
for _ in range(64):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    slow.append(s)


def dribble():
    i = 0
    while not stop_slow.wait(1.0):
        for s in slow:
            try:
                s.sendall(b"X-Slow-%d: 1\r\n" % i)
            except OSError:
                pass
        i += 1


feeder = threading.Thread(target=dribble, daemon=True)
feeder.start()
time.sleep(2.5)
t0 = time.monotonic()
try:
    status = get_health(port, timeout=10)
except OSError as e:
    status = str(e)
took = time.monotonic() - t0
check(status == 200 and took < 3.0, "with 64 slow clients a fresh request is answered (%s after %.2f s)" % (status, took))
stop_slow.set()
feeder.join()
for s in slow:
    s.close()

# A second server on the same port is refused: no SO_REUSEPORT sharing.
r = subprocess.run([LODE, "serve", "--no-workspace", "--port", str(port)], capture_output=True, text=True, timeout=60)
check(r.returncode == 2 and "port in use" in r.stderr,
      "a second `lodestone serve` on a port in use exits 2 with 'port in use' (exit %d: %s)" % (r.returncode, r.stderr.strip()))
check(get_health(port) == 200, "the first server still answers")

proc.send_signal(signal.SIGTERM)
check(proc.wait(timeout=30) == 0, "the server stops cleanly")
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
