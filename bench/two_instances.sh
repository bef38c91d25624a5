#!/usr/bin/env bash
# Benchmark: letters acknowledged per second on PostgreSQL by one `lysty serve`, then by two
# instances on the same database behind nginx (round robin), measured in the same run and
# reported side by side with their ratio. A report, not a gate: on one small machine the two
# instances share its cores with PostgreSQL and nginx, so the ratio says what a second
# instance costs or gains here, not on separate machines. Traffic stays on 127.0.0.1.
#
# Settings: LYSTY_BIN (default $CARGO_TARGET_DIR or ./target, debug/lysty), BENCH_POSTGRES
# (an admin URL; default postgres://postgres@127.0.0.1:5432/test), NGINX (/usr/sbin/nginx),
# BENCH_CLIENTS (16), BENCH_SECONDS (10).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${LYSTY_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/lysty}"
[ -x "$bin" ] || (cd "$root" && cargo build --locked -p lysty)
admin="${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
nginx="${NGINX:-/usr/sbin/nginx}"
work="$(mktemp -d)"
pids=()
cleanup() {
    "$nginx" -p "$work" -c nginx.conf -s stop 2>/dev/null || true
    kill "${pids[@]}" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
unset LYSTY_CONFIG
export LYSTY_SECRETS__EMAIL_KEY="$(head -c 32 /dev/urandom | base64)" LYSTY_LIMITS__ENABLED=false
name="lysty_t_bench_$(date +%s)"
psql "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null
db="${admin%/*}/$name"
start() {
    local log="$work/serve-${#pids[@]}.log" url=""
    "$bin" serve --addr 127.0.0.1:0 --database "$db" "$@" > "$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 300); do
        url="$(grep -o 'listening on http://[0-9.:]*' "$log" 2>/dev/null | head -1 | cut -d' ' -f3 || true)"
        [ -n "$url" ] && break
        sleep 0.1
    done
    [ -n "$url" ] || { cat "$log" >&2; exit 1; }
    echo "$url"
}
one="$(start --demo)"
clients="${BENCH_CLIENTS:-16}" seconds="${BENCH_SECONDS:-10}"
echo "== bench/two_instances: letters acknowledged on PostgreSQL, one instance against two behind nginx ($(nproc) cores, $("$bin" --version))"
single="$(python3 "$root/bench/intake_load.py" --base "$one" --clients "$clients" --seconds "$seconds" --label "one instance")"
two="$(start)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/tmp"
cat > "$work/nginx.conf" <<CONF
daemon on; user root; pid $work/nginx.pid; error_log $work/error.log; worker_processes 1;
events { worker_connections 1024; }
http {
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp; access_log off;
  upstream lysty { server ${one#http://}; server ${two#http://}; keepalive 64; }
  server { listen 127.0.0.1:$port;
    location / { proxy_pass http://lysty; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
CONF
"$nginx" -p "$work" -c nginx.conf
both="$(python3 "$root/bench/intake_load.py" --base "http://127.0.0.1:$port" --clients "$clients" --seconds "$seconds" --label "two + nginx")"
echo "$single" | grep -v '^RATE'
echo "$both" | grep -v '^RATE'
a="$(echo "$single" | sed -n 's/^RATE //p')" b="$(echo "$both" | sed -n 's/^RATE //p')"
python3 -c "print(f'ratio two/one: {float($b) / max(float($a), 1e-9):.2f}')"
psql "$admin" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
