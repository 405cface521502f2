#!/usr/bin/env python3
"""Fit apitriage's confidence calibration on a labelled tuning suite.

Usage:
    cargo run --release -p apitriage-eval -- --seeds 1..5 --volume 0.2 --json tune.jsonl
    python3 scripts/calibrate.py tune.jsonl

Fits p(correct) = sigmoid(a + c * margin) by logistic regression, where margin is the
raw-score gap between the top two buckets (recovered from the softmax scores the report
carries: raw = ln(score) / 4 + const). Prints the coefficients for
crates/engine/src/calibration.rs. Controls and inconclusive verdicts are left out.
"""
import json
import math
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
xs, ys = [], []
for r in rows:
    if r["truth"] == "none" or r["predicted"] == "inconclusive":
        continue
    s = sorted(r["scores"].values(), reverse=True)
    xs.append((math.log(max(s[0], 1e-9)) - math.log(max(s[1], 1e-9))) / 4)
    ys.append(1 if r["bucket_ok"] else 0)
a, c = 0.0, 1.0
for _ in range(20000):
    ga = gc = 0.0
    for x, y in zip(xs, ys):
        p = 1 / (1 + math.exp(-(a + c * x)))
        ga += p - y
        gc += (p - y) * x
    a -= 0.05 * ga / len(xs)
    c -= 0.05 * gc / len(xs)
print(f"n={len(xs)} accuracy={sum(ys) / len(ys):.3f}")
print(f"COEFFICIENTS = ({a:.2f}, 0.0, {c:.2f})")
