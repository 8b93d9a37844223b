#!/usr/bin/env python3
"""Bounded load test of the read endpoints of `lodestone serve`, on loopback (stdlib only).

Starts the server (or uses --url), sends requests at a fixed rate (open loop: request i is due at
t0 + i/rate and its latency is counted from that due time, so a server that falls behind shows it
instead of slowing the client down), over N keep-alive connections, round-robin over the read
endpoints, for a fixed duration. Meanwhile it sends malformed and oversized requests and checks
they get a 4xx and that the server keeps answering. Prints achieved req/s, p50/p90/p99/max latency,
errors; with --check, exits 1 if any error, p99 >= --p99-ms, or achieved < 98 % of the rate.

  scripts/api_loadtest.py --binary build/release/apps/cli/lodestone --rate 200 --duration 30 --check
"""
import argparse
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time

READ_PATHS = [
    "/api/v1/dataset",
    "/api/v1/countries",
    "/api/v1/materials",
    "/api/v1/materials/gallium",
    "/api/v1/shares?material=gallium&stage=refined",
    "/api/v1/shares?material=rare_earths&stage=separation",
    "/api/v1/policies",
    "/api/v1/policies?as_of=2026-11-28&material=gallium",
    "/api/v1/policies/upcoming?within=90d",
    "/api/v1/policies/changes?since=2025-01-01",
    "/api/v1/measures",
    "/api/v1/dataset/validation",
    "/api/v1/health",
    "/api/v1/assess?perspective=USA",
    "/api/v1/leverage?target=USA&supplier=CHN",
    "/api/v1/lookthrough?material=gallium&country=USA",
    "/api/v1/scenarios",
    "/api/v1/events",
    "/api/v1/watch/rules",
]


def start_server(binary, data, max_body):
    # --no-workspace: a load test must not read or create the user's workspace.
    cmd = [binary, "serve", "--port", "0", "--max-body", str(max_body), "--no-workspace"]
    if data:
        cmd += ["--data", data]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"listening on http://([^/]+):(\d+)/", line)
    if not m:
        proc.kill()
        sys.exit("server did not start: %r %s" % (line, proc.stderr.read()))
    return proc, m.group(1), int(m.group(2))


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[k]


def raw_status(host, port, data, timeout=15.0):
    """Sends raw bytes; returns the HTTP status code of the answer (0 if none)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        got = b""
        while b"\r\n" not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    m = re.match(rb"HTTP/1\.[01] (\d{3})", got)
    return int(m.group(1)) if m else 0


def abuse(host, port, max_body):
    """Malformed and oversized requests: each must get a 4xx. Returns a list of failures."""
    big = b"x" * (max_body + 1)
    cases = [
        ("garbage request line", b"GARBAGE\r\n\r\n"),
        ("bad HTTP version", b"GET /api/v1/health HTTP/7.0\r\n\r\n"),
        ("URI too long", b"GET /api/v1/" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("bad query parameter", b"GET /api/v1/policies?as_of=yesterday HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("unknown endpoint", b"GET /api/v1/nope HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("bad JSON body", b"POST /api/v1/dataset/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 5\r\n\r\n{nope"),
        ("oversized body", b"POST /api/v1/dataset/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: " + str(len(big)).encode() + b"\r\n\r\n" + big),
        ("oversized declared length", b"POST /api/v1/dataset/validate HTTP/1.1\r\nHost: x\r\n"
                                      b"Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n"),
    ]
    failures = []
    for name, data in cases:
        try:
            status = raw_status(host, port, data)
        except OSError as e:
            status = 0
            name += " (%s)" % e
        if not 400 <= status < 500:
            failures.append("%s: got %s, expected 4xx" % (name, status))
    return failures


def run_load(host, port, rate, duration, connections, paths):
    due = queue.Queue()
    lock = threading.Lock()
    latencies = []
    errors = []
    per_path = {}

    def worker():
        conn = None
        while True:
            item = due.get()
            if item is None:
                return
            t_due, path = item
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=10)
                conn.request("GET", path, headers={"Accept-Encoding": "identity"})
                res = conn.getresponse()
                body = res.read()
                ok = res.status == 200 and len(body) > 0
                if res.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as e:
                ok = False
                body = str(e).encode()
                if conn is not None:
                    conn.close()
                conn = None
                res = None
            t = time.perf_counter() - t_due
            with lock:
                latencies.append(t)
                per_path.setdefault(path, []).append(t)
                if not ok:
                    errors.append((path, res.status if res else "no response", body[:200]))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for t in threads:
        t.start()
    t0 = time.perf_counter() + 0.05
    n = 0
    total = int(rate * duration) if rate > 0 else None
    end = t0 + duration
    while True:
        if total is not None:
            if n >= total:
                break
            t_due = t0 + n / rate
            delay = t_due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        else:  # closed loop: keep each connection busy
            if time.perf_counter() >= end:
                break
            while due.qsize() > connections:
                time.sleep(0.0005)
            t_due = time.perf_counter()
        due.put((t_due, paths[n % len(paths)]))
        n += 1
    for _ in threads:
        due.put(None)
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return n, elapsed, sorted(latencies), errors, per_path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", help="lodestone binary to start (else --url)")
    ap.add_argument("--data", help="dataset folder for the server (default: embedded)")
    ap.add_argument("--url", help="an already running server, e.g. http://127.0.0.1:8080")
    ap.add_argument("--rate", type=float, default=200, help="requests per second; 0 = as fast as possible")
    ap.add_argument("--duration", type=float, default=30, help="seconds")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--max-body", type=int, default=1 << 20, help="server --max-body (for the oversize probe)")
    ap.add_argument("--p99-ms", type=float, default=100.0)
    ap.add_argument("--check", action="store_true", help="exit 1 unless no errors, p99 < --p99-ms, rate held")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    proc = None
    if args.binary:
        proc, host, port = start_server(args.binary, args.data, args.max_body)
    elif args.url:
        m = re.match(r"http://([^/:]+):(\d+)", args.url)
        host, port = m.group(1), int(m.group(2))
    else:
        ap.error("give --binary or --url")

    try:
        paths = list(READ_PATHS)
        if args.data:  # a small test dataset may lack the embedded materials
            conn = http.client.HTTPConnection(host, port, timeout=10)
            conn.request("GET", "/api/v1/materials")
            mats = {m["id"]: [s["stage"] for s in m["stages"]] for m in json.loads(conn.getresponse().read())}
            paths = [p for p in paths if not re.search(r"material[s=/]+(\w+)", p)
                     or re.search(r"material[s=/]+(\w+)", p).group(1) in mats]

        abuse_failures = []
        abuse_thread = threading.Thread(
            target=lambda: abuse_failures.extend(abuse(host, port, args.max_body)), daemon=True)
        abuse_thread.start()  # malformed traffic while the load runs
        n, elapsed, lat, errors, per_path = run_load(host, port, args.rate, args.duration, args.connections, paths)
        abuse_thread.join()
        abuse_failures += abuse(host, port, args.max_body)  # and once more after it

        # still up?
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.request("GET", "/api/v1/health")
        alive = conn.getresponse().status == 200
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = "killed"
            stderr = proc.stderr.read()
            if code != 0:
                print("server exit code %s\n%s" % (code, stderr), file=sys.stderr)

    ms = lambda v: v * 1000.0
    achieved = len(lat) / elapsed if elapsed > 0 else 0.0
    figures = {
        "target_rate": args.rate, "duration_s": round(elapsed, 2), "connections": args.connections,
        "requests": len(lat), "achieved_rps": round(achieved, 1), "errors": len(errors),
        "p50_ms": round(ms(percentile(lat, 0.50)), 2), "p90_ms": round(ms(percentile(lat, 0.90)), 2),
        "p99_ms": round(ms(percentile(lat, 0.99)), 2), "max_ms": round(ms(lat[-1]) if lat else 0, 2),
        "malformed_and_oversized": "all 4xx" if not abuse_failures else abuse_failures,
        "alive_after": alive, "endpoints": len(paths),
    }
    print("load: %d requests in %.1f s over %d connections, %d endpoints (target %s req/s)"
          % (len(lat), elapsed, args.connections, len(paths), args.rate or "max"))
    print("  achieved %.1f req/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; errors %d"
          % (achieved, figures["p50_ms"], figures["p90_ms"], figures["p99_ms"], figures["max_ms"], len(errors)))
    for path in paths:
        v = sorted(per_path.get(path, []))
        print("    %-55s n=%-5d p50 %7.2f ms  p99 %7.2f ms" % (path, len(v), ms(percentile(v, .5)), ms(percentile(v, .99))))
    print("  malformed/oversized requests: %s; server alive after: %s"
          % ("all answered 4xx" if not abuse_failures else "; ".join(abuse_failures), alive))
    for e in errors[:5]:
        print("  error: %s -> %s %r" % e, file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    if args.check:
        bad = []
        if errors:
            bad.append("%d errors" % len(errors))
        if abuse_failures:
            bad.append("malformed/oversized requests not all 4xx")
        if not alive:
            bad.append("server not alive after the test")
        if args.rate > 0 and achieved < 0.98 * args.rate:
            bad.append("achieved %.1f < 98%% of %.0f req/s" % (achieved, args.rate))
        if args.p99_ms > 0 and figures["p99_ms"] >= args.p99_ms:
            bad.append("p99 %.2f ms >= %.0f ms" % (figures["p99_ms"], args.p99_ms))
        if bad:
            print("FAIL: " + "; ".join(bad))
            return 1
        print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
