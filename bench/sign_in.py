#!/usr/bin/env python3
"""A crowd of sign-ins must not stall everyone else.

Times GET /healthz (no database, no template: the cheapest request) sequentially, first on
an idle server, then while --clients threads sign in over and over with a correct password
(each sign-in is one Argon2 run: tens of milliseconds of CPU and 19 MiB). Reports median and
p95 of both and their ratios; exits 1 when the median ratio exceeds --max-ratio or the p95
ratio --max-p95-ratio. Loopback
only, bounded counts and duration.

Usage: sign_in.py --base http://127.0.0.1:PORT --email E --password P
"""

import argparse
import http.cookiejar
import re
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request


def timed_gets(base, path, n):
    opener = urllib.request.build_opener()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        with opener.open(base + path, timeout=30) as r:
            r.read()
        times.append((time.perf_counter() - start) * 1000)
    return times


def sign_in_loop(base, email, password, stop, done, errors):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    while not stop.is_set():
        try:
            with opener.open(base + "/staff", timeout=60) as r:
                page = r.read().decode()
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            body = urllib.parse.urlencode(
                {"csrf": csrf, "email": email, "password": password}).encode()
            with opener.open(base + "/staff/login", data=body, timeout=60) as r:
                r.read()
            done.append(1)
        except Exception as e:  # counted, not fatal: the verdict is about /healthz
            errors.append(str(e))
            if len(errors) == 1:
                print(f"first error: {e}", file=sys.stderr)
            time.sleep(0.05)
        jar.clear()


def summary(times):
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--clients", type=int, default=48)
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--max-ratio", type=float, default=3.0)
    p.add_argument("--max-p95-ratio", type=float, default=10.0)
    a = p.parse_args()
    if not a.base.startswith("http://127.0.0.1:"):
        sys.exit("sign_in.py sends traffic to 127.0.0.1 only")
    if not 1 <= a.clients <= 256 or not 10 <= a.requests <= 5000:
        sys.exit("sign_in.py: counts are bounded")

    timed_gets(a.base, "/healthz", 20)
    idle = timed_gets(a.base, "/healthz", a.requests)

    stop, done, errors = threading.Event(), [], []
    threads = [threading.Thread(target=sign_in_loop,
                                args=(a.base, a.email, a.password, stop, done, errors),
                                daemon=True) for _ in range(a.clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(2)  # let the crowd build up
    crowded = timed_gets(a.base, "/healthz", a.requests)
    stop.set()
    elapsed = time.perf_counter() - started
    for t in threads:
        t.join(timeout=120)

    idle_med, idle_p95 = summary(idle)
    crowd_med, crowd_p95 = summary(crowded)
    ratio = crowd_med / idle_med
    print(f"{'GET /healthz':24} {'n':>5} {'median ms':>10} {'p95 ms':>8}")
    print(f"{'idle':24} {len(idle):>5} {idle_med:>10.2f} {idle_p95:>8.2f}")
    print(f"{f'{a.clients} clients signing in':24} {len(crowded):>5} {crowd_med:>10.2f} "
          f"{crowd_p95:>8.2f}")
    ratio_p95 = crowd_p95 / idle_p95
    print(f"ratio crowded/idle: median {ratio:.2f}, p95 {ratio_p95:.2f} "
          f"(gates: median ratio <= {a.max_ratio:g}, p95 ratio <= {a.max_p95_ratio:g})")
    print(f"sign-ins completed: {len(done)} in {elapsed:.1f} s ({len(done) / elapsed:.1f}/s); "
          f"errors: {len(errors)}")
    if not done:
        print("FAIL: no sign-in completed: the crowd did not run")
        return 1
    if ratio > a.max_ratio or ratio_p95 > a.max_p95_ratio:
        print("FAIL: sign-ins stall the other requests")
        return 1
    print("PASS: the other requests keep their pace while a crowd signs in")
    return 0


if __name__ == "__main__":
    sys.exit(main())
