#!/usr/bin/env python3
"""Times GET requests against two running Lysty servers and compares them.

    measure.py --small URL --large URL [options]

The servers hold the same campaign with few and with many letters. Each timed path gets a
warm-up, then rounds in which both servers are asked once each, in alternating order, so
that noise on a shared machine falls on both sides alike. Requests are sequential, over one
keep-alive connection per server, to 127.0.0.1 only. Reported per path and size: median,
p95 and min in milliseconds and the body size; then the ratio large/small of the medians
(and of the p95s, for information).

Exit status 1 when a gated path's median ratio exceeds --max-ratio (a ratio against a
baseline measured in the same run, never an absolute time), or when a check fails; 0
otherwise. Paths given with --info are measured and reported but never gated.
"""

import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse


class Server:
    def __init__(self, label: str, base: str):
        url = urllib.parse.urlsplit(base)
        if url.hostname != "127.0.0.1":
            sys.exit(f"measure.py: only 127.0.0.1 is measured, not {url.hostname}")
        self.label = label
        self.host, self.port = url.hostname, url.port
        self.conn = None

    def get(self, path: str) -> tuple[int, bytes, float]:
        """One request; returns status, body and the seconds from sending to the last byte."""
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                start = time.perf_counter()
                self.conn.request("GET", path, headers={"Accept-Language": "uk"})
                response = self.conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - start
                if response.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, body, elapsed
            except (http.client.HTTPException, ConnectionError):
                # A keep-alive connection the server closed: reconnect once, untimed.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]  # nearest rank


def measure(servers, path: str, rounds: int, warmup: int) -> dict:
    sizes = {}
    for server in servers:
        for _ in range(warmup):
            status, body, _ = server.get(path)
            if status != 200:
                sys.exit(f"measure.py: {server.label} {path} answered {status}")
            sizes[server.label] = len(body)
    times = {s.label: [] for s in servers}
    for i in range(rounds):
        for server in servers if i % 2 == 0 else reversed(servers):
            status, body, elapsed = server.get(path)
            if status != 200:
                sys.exit(f"measure.py: {server.label} {path} answered {status}")
            times[server.label].append(elapsed * 1000)
    return {
        label: {
            "median": statistics.median(t),
            "p95": p95(t),
            "min": min(t),
            "n": len(t),
            "bytes": sizes[label],
        }
        for label, t in times.items()
    }


def check_totals(servers, expected: dict) -> bool:
    """The figures come from counters: they must show the letters the seed made."""
    ok = True
    for server in servers:
        status, body, _ = server.get("/api/v1/stats")
        if status != 200:
            print(f"check: {server.label} /api/v1/stats answered {status}")
            return False
        stats = json.loads(body)
        total = stats["total"]
        # Tallied paper letters count in the total too; the demo has none.
        fine = total >= expected[server.label]
        ok &= fine
        print(
            f"check: {server.label:5} total={total} (seeded letters {expected[server.label]}) "
            f"months={len(stats['by_month'])} cities={len(stats['by_city'])} "
            f"prisoners={len(stats['by_prisoner'])} events={len(stats['by_event'])} "
            f"this_month={stats['this_month']}  {'ok' if fine else 'MISMATCH'}"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", required=True, help="base URL of the server with few letters")
    parser.add_argument("--large", required=True, help="base URL of the server with many letters")
    parser.add_argument("--small-letters", type=int, required=True)
    parser.add_argument("--large-letters", type=int, required=True)
    parser.add_argument("--gate", action="append", default=[], help="a gated path (repeat)")
    parser.add_argument("--info", action="append", default=[], help="a reported path (repeat)")
    parser.add_argument("--requests", type=int, default=200, help="timed rounds per gated path")
    parser.add_argument("--info-requests", type=int, default=20, help="timed rounds per --info path")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--max-ratio", type=float, default=3.0)
    args = parser.parse_args()
    if not 1 <= args.requests <= 5000 or not 0 <= args.info_requests <= 5000:
        sys.exit("measure.py: request counts are bounded: 1..5000")

    small, large = Server("small", args.small), Server("large", args.large)
    servers = [small, large]
    totals_ok = check_totals(
        servers, {"small": args.small_letters, "large": args.large_letters})

    rows = []
    for path in args.gate:
        rows.append((path, True, measure(servers, path, args.requests, args.warmup)))
    for path in args.info:
        if args.info_requests:
            rows.append((path, False, measure(servers, path, args.info_requests,
                                              min(args.warmup, 3))))

    letters = {"small": args.small_letters, "large": args.large_letters}
    print()
    print(f"{'path':16} {'letters':>9} {'n':>4} {'median ms':>10} {'p95 ms':>8} "
          f"{'min ms':>8} {'bytes':>7}")
    failed = []
    for path, gated, result in rows:
        for label in ("small", "large"):
            r = result[label]
            print(f"{path:16} {letters[label]:>9} {r['n']:>4} {r['median']:>10.2f} "
                  f"{r['p95']:>8.2f} {r['min']:>8.2f} {r['bytes']:>7}")
        ratio = result["large"]["median"] / result["small"]["median"]
        ratio_p95 = result["large"]["p95"] / result["small"]["p95"]
        if gated:
            verdict = "ok" if ratio <= args.max_ratio else "FAIL"
            note = f"gate: median ratio <= {args.max_ratio:g}: {verdict}"
            if ratio > args.max_ratio:
                failed.append(path)
        else:
            note = "reported only, not gated"
        print(f"{path:16} ratio large/small: median {ratio:.2f}, p95 {ratio_p95:.2f}  ({note})")
        print()
    if not totals_ok:
        print("FAIL: the figures do not show the seeded letters (counters not rebuilt?)")
        return 1
    if failed:
        print(f"FAIL: {', '.join(failed)} slower with {args.large_letters} letters than "
              f"with {args.small_letters} by more than {args.max_ratio:g}x (median)")
        return 1
    print(f"PASS: {', '.join(args.gate)} take about as long with {args.large_letters} letters "
          f"as with {args.small_letters}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
