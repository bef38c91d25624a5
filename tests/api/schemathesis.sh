#!/usr/bin/env bash
# The API keeps its own contract: schemathesis reads /api/v1/openapi.json and sends
# generated requests — valid and invalid — to every operation, as a staff token holding
# every role, and checks each answer against the document (status codes, bodies, headers,
# what must be refused and what must be accepted). Zero failures is the bar.
#
#   LYSTY_BIN=target/debug/lysty bash tests/api/schemathesis.sh [max examples per operation]
set -euo pipefail
lysty="$(realpath "${LYSTY_BIN:?set LYSTY_BIN to a built lysty binary}")"
here="$(cd "$(dirname "$0")" && pwd)"
examples="${1:-${SCHEMATHESIS_EXAMPLES:-25}}"
command -v st >/dev/null || python3 -m pip install -q 'schemathesis>=4,<5' \
    || python3 -m pip install -q --break-system-packages 'schemathesis>=4,<5'
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
db="sqlite://$work/lysty.db"
export LYSTY_SECRETS__EMAIL_KEY="$(head -c 32 /dev/urandom | base64)"
# One generator is one address: the public limits would answer most requests with 429.
export LYSTY_LIMITS__ENABLED=false
(cd "$work" && exec "$lysty" serve --demo --addr 127.0.0.1:0 --database "$db" > serve.log 2>&1) &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" 2>/dev/null && break; sleep 0.2; done
base="$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)"
[ -n "$base" ] || { cat "$work/serve.log"; exit 1; }
"$lysty" user add --database "$db" --email fuzz@api.example --org pen-ukraine \
    --role admin,coordinator,moderator,translator,dispatcher >/dev/null
token="$("$lysty" token create --database "$db" --user fuzz@api.example --name schemathesis | tail -1)"
status=0
# From the scratch folder: schemathesis keeps a cache in the folder it runs in.
cd "$work"
st --config-file "$here/schemathesis.toml" run "$base/api/v1/openapi.json" \
    --checks all \
    --max-examples "$examples" \
    --seed "${SCHEMATHESIS_SEED:-20261207}" \
    --workers 1 \
    --header "Authorization: Bearer $token" \
    --request-timeout 30 \
    --no-color \
    --report junit --report-dir "$work/report" || status=$?
if grep -E "ERROR|panicked|missing message" "$work/serve.log" | head -5 | grep -q .; then
    echo "the server logged errors while schemathesis ran:" >&2
    grep -E "ERROR|panicked|missing message" "$work/serve.log" | head -20 >&2
    exit 1
fi
exit "$status"
