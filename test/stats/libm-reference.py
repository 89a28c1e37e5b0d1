#!/usr/bin/env python3
"""Reference values for bindings/stats/libm.ts, computed with mpmath at 200 bits.

Writes test/stats/libm-reference.json:
  constants  the split constants the TypeScript code uses (each is the exact value rounded as stated), so
             the test can check the source against them;
  cases      per function, rows [x, (y,) hi, frac]: inputs drawn from a seeded generator (uniform,
             log-uniform and hard regions), hi = the exact result rounded to nearest and frac = (exact - hi)
             / ulp(hi) to 4 decimals, so the test can measure errors in fractions of an ulp.
Run: python3 test/stats/libm-reference.py  (mpmath 1.3). Deterministic: the same file every time.
A larger sample for a measurement (not committed): python3 test/stats/libm-reference.py 5000 /tmp/big.json,
then LIBM_REFERENCE=/tmp/big.json LIBM_REPORT=1 npx vitest run test/stats/libm.test.ts.
"""
import json
import os
import random
import sys

import mpmath as mp

mp.mp.prec = 200


def rnd(x, bits=53):
    """x rounded to nearest with `bits` significant bits, as a Python float."""
    if x == 0:
        return 0.0
    m, e = mp.frexp(x)  # x = m 2^e, 0.5 <= |m| < 1
    return float(mp.ldexp(mp.nint(mp.ldexp(m, bits)), e - bits))


def dd(x):
    hi = float(x)  # mpf -> float rounds to nearest
    return [hi, float(x - hi)]


def ulp(v):
    """Spacing of doubles at |v| (the gap above a power of two, as the test measures it)."""
    m, e = mp.frexp(mp.mpf(v))
    return mp.ldexp(1, max(int(e) - 53, -1074))


def rounded(x):
    hi = float(x)
    return [hi, round(float((x - hi) / ulp(hi)), 4)]


def two_part(x, bits_hi):
    hi = rnd(x, bits_hi)
    return [hi, float(x - hi)]


def three_part(x, bits):
    a = rnd(x, bits)
    b = rnd(x - a, bits)
    return [a, b, float(x - a - b)]


ln2 = mp.log(2)
pio2 = mp.pi / 2
constants = {
    "LN2_42": two_part(ln2, 42),
    "PIO2_33": three_part(pio2, 33),
    "PIO2": dd(pio2),
    "INV_LN10": dd(1 / mp.log(10)),
    "TWO_THIRDS": dd(mp.mpf(2) / 3),
    "MINUS_SIXTH": dd(mp.mpf(-1) / 6),
    # floor(2/pi * 2^1200) in hexadecimal: the bits of 2/pi for the reduction of huge trigonometric arguments
    "TWO_OVER_PI_1200": None,
}
with mp.workprec(1400):
    constants["TWO_OVER_PI_1200"] = hex(int(mp.floor(2 / mp.pi * mp.mpf(2) ** 1200)))[2:]

rng = random.Random(20261203)


def uniform(a, b, n):
    return [rng.uniform(a, b) for _ in range(n)]


def log_uniform(lo_exp, hi_exp, n, sign=1):
    return [sign * 2.0 ** rng.uniform(lo_exp, hi_exp) for _ in range(n)]


def near_one(n):
    return [1 + rng.choice([-1, 1]) * 2.0 ** rng.uniform(-52, -1) for _ in range(n)]


N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
inputs = {
    "exp": uniform(-745, 709.7, N) + uniform(-1, 1, N) + log_uniform(-60, -1, N // 2) + log_uniform(-60, -1, N // 2, -1),
    "expm1": uniform(-40, 709.7, N) + uniform(-0.7, 0.7, N) + log_uniform(-60, -1, N // 2) + log_uniform(-60, -1, N // 2, -1),
    "log": log_uniform(-1074, 1023.9, N) + uniform(0.5, 2, N) + near_one(N),
    "log1p": log_uniform(-60, 1023, N) + log_uniform(-60, -0.0001, N, -1) + uniform(-0.9999, 2, N),
    "log10": log_uniform(-1074, 1023.9, N) + uniform(0.5, 20, N) + near_one(N // 2),
    "sin": uniform(-10, 10, N) + log_uniform(-30, 20, N // 2) + log_uniform(20, 1023, N // 2) + log_uniform(-30, 1023, N // 2, -1),
    "cos": uniform(-10, 10, N) + log_uniform(-30, 20, N // 2) + log_uniform(20, 1023, N // 2) + log_uniform(-30, 1023, N // 2, -1),
    "tanh": uniform(-25, 25, N) + log_uniform(-40, 0, N // 2) + log_uniform(-40, 0, N // 2, -1),
}
# pow: bases and exponents whose result stays finite and normal
pow_cases = []
while len(pow_cases) < 3 * N:
    kind = len(pow_cases) % 3
    if kind == 0:
        x, y = 2.0 ** rng.uniform(-100, 100), rng.uniform(-10, 10)
    elif kind == 1:
        x, y = 1 + rng.uniform(-0.01, 0.01), rng.uniform(-1e5, 1e5)
    else:
        x, y = rng.uniform(0, 1e4), rng.uniform(-80, 80)
    v = mp.power(mp.mpf(x), mp.mpf(y))
    if mp.mpf(2) ** -1000 < v < mp.mpf(2) ** 1000:
        pow_cases.append([x, y])

exact = {
    "exp": mp.exp,
    "expm1": mp.expm1,
    "log": mp.log,
    "log1p": mp.log1p,
    "log10": mp.log10,
    "sin": mp.sin,
    "cos": mp.cos,
    "tanh": mp.tanh,
}


def finite_normal(v):
    return v == 0 or mp.mpf(2) ** -1022 <= abs(v) < mp.mpf(2) ** 1024


cases = {}
for name, xs in inputs.items():
    rows = []
    for x in xs:
        v = exact[name](mp.mpf(x))
        if finite_normal(v):
            rows.append([x] + rounded(v))
    cases[name] = rows
cases["pow"] = [[x, y] + rounded(mp.power(mp.mpf(x), mp.mpf(y))) for x, y in pow_cases]

out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "libm-reference.json")
with open(out, "w") as f:
    json.dump({"generator": "test/stats/libm-reference.py (mpmath %s, 200 bits)" % mp.__version__, "constants": constants, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(out, {k: len(v) for k, v in cases.items()})
