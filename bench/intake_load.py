#!/usr/bin/env python3
"""Posts letters to a Lysty address from many clients for a fixed time and prints how many
were acknowledged per second, with the median and p95 latency. Traffic goes to 127.0.0.1
only; every letter has its idempotency key.

    intake_load.py --base http://127.0.0.1:PORT --clients 16 --seconds 10 --label one
"""

import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse
import uuid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.base)
    assert url.hostname == "127.0.0.1", "load goes to 127.0.0.1 only"
    latencies, refused, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + args.seconds

    def client(n):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            body = json.dumps({
                "prisoner": "remzi-bekirov",
                "body": f"Тримайтеся! Лист {i} від клієнта {n}.",
                "idempotency_key": str(uuid.uuid4()),
            })
            started = time.monotonic()
            try:
                conn.request("POST", "/api/v1/letters", body, {"content-type": "application/json"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 201
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
                ok = False
            with lock:
                if ok:
                    latencies.append(time.monotonic() - started)
                else:
                    refused[0] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    rate = len(latencies) / elapsed
    p50 = statistics.median(latencies) * 1000 if latencies else 0
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) > 20 else 0
    print(f"{args.label:>14}: {rate:8.0f} letters/s acknowledged, p50 {p50:6.1f} ms, "
          f"p95 {p95:6.1f} ms, {refused[0]} refused ({args.clients} clients, {args.seconds:.0f} s)")
    print(f"RATE {rate:.1f}")


if __name__ == "__main__":
    main()
