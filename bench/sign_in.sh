#!/usr/bin/env bash
# Benchmark: a crowd of sign-ins (48 clients, each an Argon2 run) must not stall the other
# requests. One `lysty serve --demo` on a fresh SQLite file (127.0.0.1, port 0), one
# moderator account, then bench/sign_in.py times /healthz idle and under the crowd and
# gates the ratio. See bench/README.md.
#
# Settings: LYSTY_BIN (default $CARGO_TARGET_DIR or ./target, debug/lysty),
# BENCH_CLIENTS (48), BENCH_REQUESTS (200), BENCH_MAX_RATIO (3.0), BENCH_MAX_P95_RATIO (10).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${LYSTY_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/lysty}"
[ -x "$bin" ] || (cd "$root" && cargo build --locked -p lysty)
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
unset LYSTY_CONFIG
export LYSTY_SECRETS__EMAIL_KEY="$(head -c 32 /dev/urandom | base64)"
db="sqlite://$work/lysty.db"
"$bin" serve --demo --addr 127.0.0.1:0 --database "$db" > serve.log 2>&1 &
pid=$!
url=""
for _ in $(seq 300); do
    url="$(grep -o 'listening on http://[0-9.:]*' serve.log 2>/dev/null | head -1 | cut -d' ' -f3 || true)"
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { cat serve.log >&2; exit 1; }
password="bench password $(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$password" | "$bin" user add --database "$db" --email bench@example.org \
    --org pen-ukraine --role moderator --password-stdin > /dev/null
echo "== bench/sign_in: /healthz while ${BENCH_CLIENTS:-48} clients sign in ($(nproc) cores, $("$bin" --version))"
python3 "$root/bench/sign_in.py" --base "$url" --email bench@example.org --password "$password" \
    --clients "${BENCH_CLIENTS:-48}" --requests "${BENCH_REQUESTS:-200}" \
    --max-ratio "${BENCH_MAX_RATIO:-3.0}" --max-p95-ratio "${BENCH_MAX_P95_RATIO:-10}"
