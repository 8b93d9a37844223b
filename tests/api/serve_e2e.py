#!/usr/bin/env python3
"""`lodestone serve` as a user runs it: start on a random loopback port, check the API answers the
same JSON as the CLI, the token from the environment, refusals at start, and a clean SIGTERM stop.
Usage: serve_e2e.py LODESTONE_BINARY SOURCE_DIR
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys

LODE, SRC = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def start(*args, env=None):
    proc = subprocess.Popen([LODE, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        sys.exit("did not start: %r\n%s" % (line, proc.stderr.read()))
    return proc, int(m.group(1))


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    return r.status, json.loads(data) if data.startswith((b"{", b"[")) else data


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=30)
    return code, proc.stderr.read()


# 1. The embedded dataset, token from the environment.
env = dict(os.environ, LODESTONE_TOKEN="e2e-token")
proc, port = start("--no-workspace", env=env)
status, api_info = request(port, "GET", "/api/v1/dataset")
cli_info = json.loads(subprocess.run([LODE, "info", "--format", "json"], capture_output=True, check=True).stdout)
check(status == 200 and api_info == cli_info, "GET /api/v1/dataset is exactly `lodestone info --format json`")
status, cli_validate = 0, json.loads(subprocess.run([LODE, "validate", "--format", "json"], capture_output=True).stdout)
status, api_validate = request(port, "GET", "/api/v1/dataset/validation")
check(status == 200 and api_validate == cli_validate, "GET /api/v1/dataset/validation is `lodestone validate --format json`")
status, index = request(port, "GET", "/api/v1")
check(index["auth"] == {"writes_enabled": True, "reads_need_token": False}, "token from LODESTONE_TOKEN enables writes")
status, upcoming = request(port, "GET", "/api/v1/policies/upcoming?as_of=2026-11-27&within=1d")
resumed = [r for r in upcoming if r["id"] == "CN-2024-046-2"]
check(status == 200 and resumed and resumed[0]["date"] == "2026-11-28" and resumed[0]["change"] == "resumed",
      "as of 2026-11-27 the US ban on Ga/Ge/Sb binds again from 2026-11-28")
status, shares = request(port, "GET", "/api/v1/shares?material=gallium&stage=refined")
check(status == 200 and shares["shares"][0]["country"] == "CHN" and shares["shares"][0]["share"] > 0.9,
      "gallium refining: China first with > 90 %")
status, doc = request(port, "GET", "/api/v1/openapi.json")
check(status == 200 and doc["openapi"].startswith("3."), "OpenAPI document served")
try:
    from openapi_spec_validator import validate
    validate(doc)
    check(True, "OpenAPI document is valid (openapi-spec-validator)")
except ImportError:
    print("skip OpenAPI validation: python3 module openapi_spec_validator not installed")
status, err = request(port, "GET", "/api/v1/policies?as_of=2026-02-30")
check(status == 400 and err["diagnostics"][0]["message"] == "as_of: expected a date YYYY-MM-DD, got '2026-02-30'",
      "a bad date is a 400 with the CLI's message")


def cli_json(*args, cwd=None):
    r = subprocess.run([LODE, *args, "--format", "json"], capture_output=True, check=True, cwd=cwd)
    return json.loads(r.stdout)


for path, args in [
    ("/api/v1/assess?perspective=USA&as_of=2026-11-28", ["assess", "--perspective", "USA", "--as-of", "2026-11-28"]),
    ("/api/v1/leverage?supplier=CHN&target=USA", ["leverage", "--supplier", "CHN", "--target", "USA"]),
    ("/api/v1/leverage?target=EU&top=5", ["leverage", "--target", "EU", "--top", "5"]),
    ("/api/v1/lookthrough?material=dysprosium&country=JPN", ["lookthrough", "--material", "dysprosium", "--country", "JPN"]),
]:
    status, body = request(port, "GET", path)
    check(status == 200 and body == cli_json(*args), "GET %s is `lodestone %s --format json`" % (path, " ".join(args)))

examples = os.path.join(SRC, "data", "examples")
boundary = "lodestone-e2e-boundary"
with open(os.path.join(examples, "ev_traction_motor.csv"), "rb") as f:
    bom = f.read()
form = (("--%s\r\nContent-Disposition: form-data; name=\"bom\"; filename=\"ev_traction_motor.csv\"\r\n"
         "Content-Type: text/csv\r\n\r\n" % boundary).encode() + bom + ("\r\n--%s--\r\n" % boundary).encode())
status, body = request(port, "POST", "/api/v1/lookthrough", form,
                       {"Content-Type": "multipart/form-data; boundary=" + boundary})
body.pop("warnings", None)
check(status == 200 and body == cli_json("lookthrough", "--bom", "ev_traction_motor.csv", cwd=examples),
      "POST /api/v1/lookthrough with the EV motor BOM is `lodestone lookthrough --bom ... --format json`")

status, job = request(port, "POST", "/api/v1/simulate?scenario=cn_gagesb_us_ban_lapse&runs=4&seed=7", b"",
                      {"Content-Type": "text/plain"})
check(status == 202 and job["state"] in ("queued", "running"), "POST /api/v1/simulate creates a job (202)")
import time
deadline = time.time() + 600
while time.time() < deadline:
    status, job = request(port, "GET", "/api/v1/jobs/" + job["id"])
    if job["state"] in ("succeeded", "failed", "cancelled"):
        break
    time.sleep(0.2)
cli_sim = cli_json("simulate", os.path.join(SRC, "data", "scenarios", "cn_gagesb_us_ban_lapse.toml"), "--runs", "4",
                   "--seed", "7")
check(job["state"] == "succeeded" and job["result"]["summary"] == cli_sim["summary"]
      and job["result"]["run"]["seed"] == 7 and len(job["result"]["series"]["series"]) > 0,
      "the simulate job's summary is `lodestone simulate ... --format json`'s, with the weekly series")

# The sensitivity job is `lodestone simulate --sensitivity --format json` (same runs, seed, horizon).
status, job = request(port, "POST", "/api/v1/simulate?scenario=cn_gagesb_us_ban_lapse&runs=3&horizon=16&sensitivity=oat",
                      b"", {"Content-Type": "text/plain"})
check(status == 202 and job["kind"] == "sensitivity", "POST /api/v1/simulate?sensitivity=oat creates a sensitivity job")
deadline = time.time() + 600
while time.time() < deadline:
    status, job = request(port, "GET", "/api/v1/jobs/" + job["id"])
    if job["state"] in ("succeeded", "failed", "cancelled"):
        break
    time.sleep(0.2)
cli_sens = cli_json("simulate", "cn_gagesb_us_ban_lapse", "--sensitivity", "--runs", "3", "--horizon", "16")
check(job["state"] == "succeeded" and job["result"]["sensitivity"] == cli_sens and len(cli_sens["tornados"]) > 0,
      "the sensitivity job's result is `lodestone simulate --sensitivity --format json`")
status, body = request(port, "POST", "/api/v1/simulate?scenario=cn_gagesb_us_ban_lapse&sensitivity=sobol", b"",
                       {"Content-Type": "text/plain"})
check(status == 400, "sensitivity=sobol is refused (400)")

for path, args in [
    ("/api/v1/policies/report?as_of=2026-11-27", ["policies", "--as-of", "2026-11-27", "--no-workspace"]),
    ("/api/v1/policies/report?as_of=2026-11-11&changes_since=2026-10-01&material=gallium",
     ["policies", "--as-of", "2026-11-11", "--changes-since", "2026-10-01", "--material", "gallium", "--no-workspace"]),
    ("/api/v1/policies/report?as_of=2026-11-27&upcoming=30d",
     ["policies", "--as-of", "2026-11-27", "--upcoming", "30d", "--no-workspace"]),
]:
    status, body = request(port, "GET", path)
    check(status == 200 and body == cli_json(*args), "GET %s is `lodestone %s --format json`" % (path, " ".join(args)))

# The brief over HTTP is the CLI's brief (same scenario, same runs, same numbers).
status, body = request(port, "GET", "/api/v1/brief?as_of=2026-11-27&perspective=EU&scenario_runs=8&sensitivity_runs=3")
cli_brief = cli_json("brief", "--no-html", "--as-of", "2026-11-27", "--perspective", "EU", "--scenario-runs", "8",
                     "--sensitivity-runs", "3")
for doc in (body, cli_brief):
    doc.pop("generator", None)
check(status == 200 and body == cli_brief and body["scenario"]["availability"]["available"],
      "GET /api/v1/brief is `lodestone brief --format json` with the same scenario headline")

code, stderr = stop(proc)
check(code == 0 and "lodestone serve: stopped" in stderr, "SIGTERM stops the server with exit code 0")

# 1b. A workspace: events and watch rules written over HTTP are what the CLI reads, and back.
import tempfile
tmp = tempfile.mkdtemp(prefix="lode_serve_ws_")
ws = os.path.join(tmp, "ws.sqlite")
proc, port = start("--workspace", ws, "--token", "w-token")
auth = {"Authorization": "Bearer w-token"}
with open(os.path.join(SRC, "tests", "cli", "data", "events_a.csv"), "rb") as f:
    status, body = request(port, "POST", "/api/v1/events?file=events_a.csv", f.read(),
                           dict(auth, **{"Content-Type": "text/csv"}))
check(status == 200 and body["new"] == 2 and body["workspace"] == ws, "POST /api/v1/events stores the file in --workspace")
status, body = request(port, "GET", "/api/v1/events?origin=workspace&as_of=2026-12-20")
check(status == 200 and body == cli_json("events", "list", "--workspace", ws, "--origin", "workspace", "--as-of",
                                         "2026-12-20"),
      "GET /api/v1/events is `lodestone events list --workspace ... --format json`")
rule = json.dumps({"name": "ga", "materials": ["gallium"], "destination": "USA", "min_severity": "low"})
status, body = request(port, "POST", "/api/v1/watch/rules", rule, dict(auth, **{"Content-Type": "application/json"}))
check(status == 201, "POST /api/v1/watch/rules adds a rule (201)")
status, run = request(port, "POST", "/api/v1/watch/run?as_of=2026-11-27", b"", dict(auth, **{"Content-Type": "text/plain"}))
check(status == 200 and run["new"] > 0, "POST /api/v1/watch/run raises alerts")
status, body = request(port, "GET", "/api/v1/watch/alerts")
check(status == 200 and body == cli_json("watch", "alerts", "--workspace", ws),
      "GET /api/v1/watch/alerts is `lodestone watch alerts --workspace ... --format json`")
cli_rules = cli_json("watch", "list", "--workspace", ws)
status, body = request(port, "GET", "/api/v1/watch/rules")
check(status == 200 and body == cli_rules, "GET /api/v1/watch/rules is `lodestone watch list --format json`")
code, stderr = stop(proc)
check(code == 0 and "workspace: " + ws in stderr, "the server names its workspace and stops cleanly")

# 2. Refusals at start: exit 2 with a clear message.
r = subprocess.run([LODE, "serve", "--host", "0.0.0.0", "--port", "0"], capture_output=True, text=True,
                   env={k: v for k, v in os.environ.items() if k != "LODESTONE_TOKEN"})
check(r.returncode == 2 and "--host 0.0.0.0 is reachable beyond this machine" in r.stderr and "(E-USAGE)" in r.stderr,
      "a non-loopback host without a token is refused")
r = subprocess.run([LODE, "serve", "--static", SRC + "/tests", "--port", "0"], capture_output=True, text=True)
check(r.returncode == 2 and "--static: no index.html in" in r.stderr, "a --static folder without index.html is refused")
r = subprocess.run([LODE, "serve", "--data", "/nonexistent", "--port", "0"], capture_output=True, text=True)
check(r.returncode == 2 and "(E-FILE-MISSING)" in r.stderr, "a bad dataset is refused before listening")
with socket.socket() as busy:
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    r = subprocess.run([LODE, "serve", "--port", str(busy.getsockname()[1])], capture_output=True, text=True)
    check(r.returncode == 2 and "cannot listen on 127.0.0.1:" in r.stderr, "a port in use is refused")

# 3. Another dataset, no token: writes disabled, reads open.
proc, port = start("--data", SRC + "/tests/api/data", env={k: v for k, v in os.environ.items() if k != "LODESTONE_TOKEN"})
status, index = request(port, "GET", "/api/v1")
check(index["dataset"]["name"] == "api-test-world" and index["auth"]["writes_enabled"] is False,
      "--data serves that dataset; without a token writes are off")
code, stderr = stop(proc)
check(code == 0, "second server stops cleanly")

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
