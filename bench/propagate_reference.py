#!/usr/bin/env python3
"""Reference implementation of `lodestone propagate`, written to follow the equations of
docs/propagate.md literally (dicts, one firm at a time, no arrays), so that the C++ engine can be
checked against an independent reading of the model. Plain Python 3, no packages.

Reads the CSV input format (firms.csv, links.csv, shocks.csv) and prints `day,production,value_added`
for days 0..N. Example:
    python3 bench/propagate_reference.py --dir net/ --days 30 --rationing lowest-first
"""
import argparse
import csv
import os
import sys


def read(dir_):
    firms, sector, c, links, shocks = [], {}, {}, [], []
    with open(os.path.join(dir_, "firms.csv"), newline="") as f:
        for row in csv.DictReader(f):
            firms.append(row["id"])
            sector[row["id"]] = row["sector"]
            c[row["id"]] = float(row["final_demand"])
    with open(os.path.join(dir_, "links.csv"), newline="") as f:
        for row in csv.DictReader(f):
            links.append((row["supplier"], row["client"], float(row["daily_amount"])))
    path = os.path.join(dir_, "shocks.csv")
    if os.path.exists(path):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                shocks.append((row["firm"], float(row["capacity_loss"]), int(row.get("start_day") or 1)))
    return firms, sector, c, links, shocks


def delta_of(shocks, day, recovery):
    out = {}
    for firm, d, start in shocks:
        if day < start:
            v = 0.0
        elif recovery <= 0:
            v = d
        else:
            v = d * max(0.0, 1.0 - (day - start) / recovery)
        out[firm] = max(out.get(firm, 0.0), v)
    return out


def run(firms, sector, c, links, shocks, days, rationing, n, tau, recovery):
    A = {}            # (i, j) -> A_ij, i client, j supplier
    suppliers = {i: [] for i in firms}
    clients = {j: [] for j in firms}
    for j, i, a in links:
        A[(i, j)] = a
        suppliers[i].append(j)
        clients[j].append(i)
    sectors_of = {i: sorted({sector[j] for j in suppliers[i]}) for i in firms}
    A_s = {(i, s): sum(A[(i, j)] for j in suppliers[i] if sector[j] == s) for i in firms for s in sectors_of[i]}
    O = dict(A)
    O_star = dict(A)
    S = {k: n * a for k, a in A.items()}
    D = {i: c[i] + sum(A[(k, i)] for k in clients[i]) for i in firms}
    P_ini = dict(D)
    P = dict(D)
    va = {i: (P_ini[i] - sum(A[(i, j)] for j in suppliers[i])) / P_ini[i] if P_ini[i] > 0 else 0.0 for i in firms}
    S_s = {(i, s): n * A_s[(i, s)] for (i, s) in A_s}
    series = [(0, sum(P_ini[i] for i in firms), sum(va[i] * P_ini[i] for i in firms))]
    for t in range(1, days + 1):
        delta = delta_of(shocks, t, recovery)
        # 1. capacity
        P_cap = {i: (1.0 - delta.get(i, 0.0)) * P_ini[i] for i in firms}
        # 2. inventory
        r = {}
        for (i, s), a_s in A_s.items():
            ratio = P[i] / P_ini[i] if P_ini[i] > 0 else 0.0
            r[(i, s)] = ratio * a_s / S_s[(i, s)] if S_s[(i, s)] > 1e-12 * a_s else 0.0
        for (i, j) in A:
            S[(i, j)] = max(0.0, S[(i, j)] + O_star[(i, j)] - r[(i, sector[j])] * S[(i, j)])
        # 3. orders
        for (i, j), a in A.items():
            ratio = P[i] / P_ini[i] if P_ini[i] > 0 else 0.0
            O[(i, j)] = max(0.0, a * ratio + (1.0 / tau) * (n * a * ratio - S[(i, j)]))
        # 4. demand
        D = {i: c[i] + sum(O[(k, i)] for k in clients[i]) for i in firms}
        # 5. production
        for key in S_s:
            i, s = key
            S_s[key] = sum(S[(i, j)] for j in suppliers[i] if sector[j] == s)
        newP = {}
        for i in firms:
            prop = [S_s[(i, s)] / A_s[(i, s)] * P_ini[i] for s in sectors_of[i]]
            newP[i] = min([P_cap[i], D[i]] + prop)
        P = newP
        # 6. rationing
        for i in firms:
            if P[i] >= D[i]:
                for k in clients[i]:
                    O_star[(k, i)] = O[(k, i)]
                continue
            if rationing == "proportional":
                f = P[i] / D[i] if D[i] > 0 else 0.0
                for k in clients[i]:
                    O_star[(k, i)] = O[(k, i)] * f
                continue
            # lowest-first: find lambda with sum_k min(rho_k, lambda) A_ki + min(1, lambda) c_i = P_i
            items = [(O[(k, i)] / A[(k, i)], A[(k, i)]) for k in clients[i]]
            if c[i] > 0:
                items.append((1.0, c[i]))
            items.sort()
            left, weight = P[i], sum(w for _, w in items)
            for rho, w in items:
                if rho * weight > left:
                    break
                left -= rho * w
                weight -= w
            # Every order fits (rounding can leave P a hair below D): all are served in full.
            lam = max(0.0, left) / weight if weight > 0 else float("inf")
            for k in clients[i]:
                O_star[(k, i)] = min(O[(k, i)] / A[(k, i)], lam) * A[(k, i)]
        # 7. output
        series.append((t, sum(P[i] for i in firms), sum(va[i] * P[i] for i in firms)))
    return series


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True, help="folder with firms.csv, links.csv, shocks.csv")
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--rationing", choices=["proportional", "lowest-first"], default="proportional")
    ap.add_argument("--inventory-days", type=float, default=15.0)
    ap.add_argument("--tau", type=float, default=6.0)
    ap.add_argument("--recovery-days", type=int, default=0)
    a = ap.parse_args()
    series = run(*read(a.dir), a.days, a.rationing, a.inventory_days, a.tau, a.recovery_days)
    out = sys.stdout
    out.write("day,production,value_added\n")
    for t, p, v in series:
        out.write("%d,%.17g,%.17g\n" % (t, p, v))


if __name__ == "__main__":
    main()
