#!/usr/bin/env python3
"""readme_tour.py LODESTONE SOURCE_DIR: runs every command of the README's tour as written.

The ```sh blocks of the section "A five-minute tour" are run one block at a time by bash, in a fresh
folder (with `data` linked to the repository's data/, HOME and XDG_DATA_HOME inside it), with
`lodestone` on PATH. Each command must exit 0, or the code its trailing comment names ("exit 2").
The block that starts `lodestone serve` runs against a server on a free 127.0.0.1 port (the
README's 127.0.0.1:8080 is rewritten to it), stopped at the end of the block.
"""
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile

lode, src = sys.argv[1], sys.argv[2]


def tour_blocks(text):
    section = text.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.S)


def commands(block):
    out, current = [], ""
    for line in block.splitlines():
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip() and not current.strip().startswith("#"):
            out.append(current.strip())
        current = ""
    return out


def expected_exit(cmd):
    m = re.search(r"#.*\bexit (\d+)", cmd)
    return int(m.group(1)) if m else 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def script_for(cmds, port):
    lines = ["set +e -o pipefail", "trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT"]
    for i, cmd in enumerate(cmds):
        code = expected_exit(cmd)
        if port is not None:
            cmd = cmd.replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        if re.search(r"\blodestone serve\b", cmd):
            if not cmd.endswith("&"):
                sys.exit(f"FAIL: the serve command must run in the background: {cmd}")
            cmd = cmd[:-1].rstrip() + f" --port {port} > serve.log 2>&1 &"
            lines.append(cmd)
            lines.append(f"for i in $(seq 600); do grep -q listening serve.log && break; sleep 0.1; done; "
                         f"grep -q listening serve.log || {{ cat serve.log; echo 'FAIL: server did not start'; exit 1; }}")
            continue
        lines.append(cmd)
        lines.append(f"rc=$?; [ $rc -eq {code} ] || {{ echo {shlex.quote('FAIL (exit ')}$rc{shlex.quote(', expected ' + str(code) + '): ' + cmd)}; exit 1; }}")
    return "\n".join(lines) + "\n"


def main():
    readme = open(os.path.join(src, "README.md"), encoding="utf-8").read()
    blocks = tour_blocks(readme)
    assert blocks, "no ```sh block in the tour"
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.symlink(os.path.abspath(lode), os.path.join(bindir, "lodestone"))
        os.symlink(os.path.join(src, "data"), os.path.join(tmp, "data"))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"], HOME=tmp,
                   XDG_DATA_HOME=os.path.join(tmp, "xdg"))
        env.pop("LODESTONE_TOKEN", None)
        for n, block in enumerate(blocks, 1):
            cmds = commands(block)
            port = free_port() if any("lodestone serve" in c for c in cmds) else None
            script = script_for(cmds, port)
            r = subprocess.run(["bash", "-c", script], cwd=tmp, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=1800)
            if r.returncode != 0:
                print(r.stdout[-6000:])
                print(f"FAIL: tour block {n}:\n{block}")
                return 1
            total += len(cmds)
            print(f"block {n}: {len(cmds)} command(s) ok")
    print(f"README tour ok: {len(blocks)} blocks, {total} commands")
    return 0


sys.exit(main())
