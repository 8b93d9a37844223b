#!/usr/bin/env python3
"""run_cli.py --exit N [--pass REGEX] [--fail REGEX] [--stderr] -- COMMAND...

Runs COMMAND and passes only if it exits with N and its output (stdout and stderr together, as
CTest would see them) matches --pass and not --fail. CTest's own PASS_REGULAR_EXPRESSION ignores
the exit code, so a run that prints the right text and then dies (a sanitizer report, exit 23)
would pass; this wrapper is how every CLI test checks both. With a non-zero N the command must
also print something on stderr (a diagnostic, not a silent failure). Regexes follow CTest's
conventions: searched anywhere in the output, '.' matches newlines, '^' is the start of output.
"""
import argparse
import re
import subprocess
import sys


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--exit", type=int, required=True, dest="want")
    ap.add_argument("--pass", dest="pass_re")
    ap.add_argument("--fail", dest="fail_re")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command and a.command[0] == "--" else a.command
    if not cmd:
        print("run_cli.py: no command")
        return 1
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    sys.stdout.write(out)
    sys.stdout.write(err)
    problems = []
    if p.returncode != a.want:
        problems.append(f"expected exit {a.want}, got {p.returncode}")
    if a.want != 0 and not err.strip():
        problems.append("expected a message on stderr")
    text = out + err
    if a.pass_re is not None and not re.search(a.pass_re, text, re.DOTALL):
        problems.append(f"output does not match /{a.pass_re}/")
    if a.fail_re is not None and re.search(a.fail_re, text, re.DOTALL):
        problems.append(f"output matches the failure pattern /{a.fail_re}/")
    for prob in problems:
        print(f"run_cli.py: {prob}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
