#!/usr/bin/env bash
# Benchmark: the statistics (/stats, GET /api/v1/stats) and the home page ("waiting for
# letters", from day counters) are read from counters, so they take about as long with
# 1,000,000 letters as with 1,000. Two SQLite databases with the
# same demo campaign and prisoners are seeded with SQL, their counters rebuilt with
# `lysty stats rebuild`, one server started on each (127.0.0.1, port 0), and the pages timed
# in alternating rounds. The verdict is a ratio against the small database measured in the
# same run (bench/measure.py), never an absolute time. See bench/README.md.
#
# Settings (environment):
#   LYSTY_BIN           the binary (default: $CARGO_TARGET_DIR or ./target, debug/lysty;
#                       built with `cargo build --locked -p lysty` when missing)
#   BENCH_SMALL         letters in the small database         (default 1000)
#   BENCH_LARGE         letters in the large database         (default 1000000)
#   BENCH_PRISONERS     published prisoners added to the demo (default 200)
#   BENCH_REQUESTS      timed rounds per gated path           (default 200)
#   BENCH_WARMUP        untimed requests per path and server  (default 20)
#   BENCH_INFO_REQUESTS timed rounds for /healthz, reported only (default 20; 0: skip)
#   BENCH_MAX_RATIO     largest allowed median ratio large/small (default 3.0)
#   BENCH_KEEP=1        keep the working directory (databases, logs) and print its path
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"

small_n="${BENCH_SMALL:-1000}"
large_n="${BENCH_LARGE:-1000000}"
prisoners="${BENCH_PRISONERS:-200}"
requests="${BENCH_REQUESTS:-200}"
warmup="${BENCH_WARMUP:-20}"
info_requests="${BENCH_INFO_REQUESTS:-20}"
max_ratio="${BENCH_MAX_RATIO:-3.0}"

command -v python3 >/dev/null || { echo "bench/stats.sh needs python3" >&2; exit 2; }
bin="${LYSTY_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/lysty}"
if [ ! -x "$bin" ]; then
    [ -z "${LYSTY_BIN:-}" ] || { echo "LYSTY_BIN=$bin is not an executable" >&2; exit 2; }
    (cd "$root" && cargo build --locked -p lysty)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/lysty-bench-stats.XXXXXX")"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Both servers run this copy, so a rebuild of target/ meanwhile changes nothing here.
cp "$bin" "$work/lysty"
lysty="$work/lysty"
# Only this run's settings: no configuration file, a throwaway email key.
cd "$work"
unset LYSTY_CONFIG
export LYSTY_SECRETS__EMAIL_KEY="$(head -c 32 /dev/urandom | base64)"

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
size() { du -b "$1" | cut -f1 | python3 -c "import sys; print(f'{int(sys.stdin.read()) / 1048576:.1f} MiB')"; }

# Starts `lysty serve` with the given arguments, logging to $1; sets $url to its base URL.
# (Not in a subshell: the pid must reach $pids for the cleanup.)
start() {
    local log="$1"; shift
    "$lysty" serve --addr 127.0.0.1:0 "$@" >"$log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    url=""
    for _ in $(seq 300); do
        url="$(grep -o 'listening on http://[0-9.:]*' "$log" 2>/dev/null | head -1 | cut -d' ' -f3 || true)"
        [ -n "$url" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$url" ] || { echo "lysty serve did not start:" >&2; cat "$log" >&2; exit 1; }
}

# Stops the server started last and waits for it to close its database.
stop_last() {
    local pid="${pids[-1]}"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    unset 'pids[-1]'
}

echo "== bench/stats: /, /stats and /api/v1/stats with $small_n and $large_n letters"
echo "binary: $bin ($("$lysty" --version))"

t="$(now)"
start demo.log --demo --database "sqlite://$work/base.db"
stop_last
python3 "$bench/seed.py" prisoners base.db "$prisoners"
cp base.db small.db
cp base.db large.db
echo "demo campaign and $prisoners more prisoners: $(since "$t") s"

for which in small large; do
    n="small_n"; [ "$which" = large ] && n="large_n"
    t="$(now)"
    python3 "$bench/seed.py" letters "$which.db" "${!n}"
    seeded="$(since "$t")"
    t="$(now)"
    recount="$("$lysty" stats rebuild --database "sqlite://$work/$which.db" | tail -1)"
    echo "$which: ${!n} letters seeded in $seeded s; stats rebuild $(since "$t") s ($recount); database $(size "$which.db")"
done

# Every view rebuilds the public figures (no snapshot): what is timed is the rebuild, the
# cost a view pays once a second at a campaign's peak, and it must not grow with letters.
export LYSTY_SERVER__FIGURES_MAX_AGE_MS=0
start small.log --database "sqlite://$work/small.db"
small_url="$url"
start large.log --database "sqlite://$work/large.db"
large_url="$url"
echo "servers: small $small_url, large $large_url"
echo "timing: $requests rounds per gated path after $warmup warm-up requests; $(nproc) cores"

t="$(now)"
status=0
python3 "$bench/measure.py" --small "$small_url" --large "$large_url" \
    --small-letters "$small_n" --large-letters "$large_n" \
    --gate /stats --gate /api/v1/stats --gate / --info /healthz \
    --requests "$requests" --info-requests "$info_requests" --warmup "$warmup" \
    --max-ratio "$max_ratio" || status=$?
echo "timing took $(since "$t") s"

# The same servers as a campaign runs them: the figures kept for figures_max_age_ms (1 s),
# so a view is served from memory. /healthz (no database, no template) is the yardstick.
stop_last
stop_last
unset LYSTY_SERVER__FIGURES_MAX_AGE_MS
start small-snapshot.log --database "sqlite://$work/small.db"
small_url="$url"
start large-snapshot.log --database "sqlite://$work/large.db"
large_url="$url"
echo
echo "== served from the snapshot (figures_max_age_ms = 1000)"
python3 "$bench/measure.py" --small "$small_url" --large "$large_url" \
    --small-letters "$small_n" --large-letters "$large_n" \
    --gate / --gate /stats --info /healthz \
    --requests "$requests" --info-requests "$requests" --warmup "$warmup" \
    --max-ratio "$max_ratio" || status=$?
exit "$status"
