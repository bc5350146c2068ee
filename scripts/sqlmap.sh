#!/usr/bin/env bash
# SQL injection scan: starts ForceLedger on a fresh data directory and a free local port, signs in (session cookie
# and CSRF token for the pages, an API token for the JSON API) and runs sqlmap in batch mode against the API and the
# main form and list endpoints, query parameters and path ids alike. Prints one line per target and a summary;
# exits 1 if sqlmap finds any injectable parameter (or cannot run). Only ever talks to 127.0.0.1.
#
#   scripts/sqlmap.sh            # about 10–20 minutes on a quiet machine
#   SQLMAP_LEVEL=2 scripts/sqlmap.sh   # more parameters and payloads (cookies, headers), slower
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v sqlmap >/dev/null 2>&1; then
  echo "--- installing sqlmap (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sqlmap >/dev/null
fi

work=$(mktemp -d /tmp/forceledger-sqlmap.XXXXXX)
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
base="http://127.0.0.1:$port"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "--- starting ForceLedger on $base (data in $work)"
DATA_DIR="$work/pglite" PORT=$port HOST=127.0.0.1 JOBS_INTERVAL_MINUTES=0 LOG_LEVEL=warn \
  node_modules/.bin/tsx src/main.ts >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 900); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 1
done
curl -fsS "$base/readyz" >/dev/null

# A signed-in session for a demo account: cookie jar file and the CSRF token its forms carry.
sign_in() {
  local user=$1 jar="$work/$1.jar"
  local token
  token=$(curl -fsS -c "$jar" -b "$jar" "$base/sign-in" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" --data-urlencode "username=$user" \
    --data-urlencode "password=demo-password" "$base/sign-in"
  # sqlmap takes cookies as one header.
  awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " } /^#HttpOnly_/ { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar"
}
declare -A cookie
for user in officer psd analyst admin taser-lead; do cookie[$user]=$(sign_in "$user"); done

# An API token for the officer, created on the account page as a person would.
jar="$work/officer.jar"
csrf=$(curl -fsS -b "$jar" -c "$jar" "$base/account/api-tokens" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
api_token=$(curl -fsS -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "name=sqlmap" \
  "$base/account/api-tokens" | grep -o 'flt_[A-Za-z0-9_-]*' | head -1)
[ -n "$api_token" ] || { echo "could not create an API token"; exit 1; }

# Real ids to put in paths, so that the page behind each id is reached.
report_id=$(curl -fsS -H "authorization: Bearer $api_token" "$base/api/v1/reports" | grep -o '"id":"[0-9a-f-]\{36\}"' | head -1 | cut -d'"' -f4)
incident_ref=$(curl -fsS -H "authorization: Bearer $api_token" "$base/api/v1/reports/$report_id" | grep -o '"reference":"[^"]*"' | head -1 | cut -d'"' -f4)
month=$(date +%Y-%m)

# user|url|data: data empty for GET; a * marks a path segment for sqlmap to inject into.
targets=(
  "api|$base/api/v1/reports?page=1|"
  "api|$base/api/v1/reports/${report_id}*|"
  "api|$base/api/v1/incidents/${incident_ref}*|"
  "api|$base/api/v1/reports|{\"incident\":{\"reference\":\"$incident_ref\"},\"subject\":{\"label\":\"A\"},\"justification\":\"x\"}"
  "anonymous|$base/sign-in|username=nobody&password=not-the-password"
  "psd|$base/people?q=okafor&page=1|"
  "psd|$base/reports/${report_id}*|"
  "psd|$base/review?page=1|"
  "psd|$base/taser/training/find?q=okafor|"
  "psd|$base/reconciliation?page=1|"
  "admin|$base/admin/users?q=okafor&page=1|"
  "admin|$base/audit?page=1|"
  "analyst|$base/dashboards?from=$month&to=$month|"
  "analyst|$base/statistics?from=$month&to=$month|"
  "taser-lead|$base/taser/devices?page=1|"
  "officer|$base/reports?page=1|"
)

level=${SQLMAP_LEVEL:-1}
injectable=0
failed=0
echo "--- sqlmap (level $level, risk 1) against ${#targets[@]} targets"
for target in "${targets[@]}"; do
  IFS='|' read -r who url data <<<"$target"
  args=(--batch --level="$level" --risk=1 --time-sec=2 --disable-coloring --flush-session
    --output-dir="$work/sqlmap" --skip-waf --answers="follow=N")
  case "$who" in
    api) args+=(--threads=2 --headers="Authorization: Bearer $api_token") ;;
    # sqlmap fetches a fresh CSRF token before each request here, which it cannot do with threads.
    anonymous) args+=(--csrf-token=_csrf --csrf-url="$base/sign-in") ;;
    *) args+=(--threads=2 --cookie="${cookie[$who]}") ;;
  esac
  [ -n "$data" ] && args+=(--data="$data")
  [[ "$url" == */api/* ]] || [ -z "$data" ] || [ "$who" = anonymous ] || args+=(--csrf-token=_csrf)
  log="$work/sqlmap-$(echo "$url$data" | md5sum | cut -c1-8).log"
  if ! sqlmap -u "$url" "${args[@]}" >"$log" 2>&1; then
    echo "ERROR    $who $url (sqlmap failed; log follows)"
    tail -20 "$log"
    failed=$((failed + 1))
    continue
  fi
  tested=$(grep -c "testing '" "$log" || true)
  # A scan that was refused (signed out, no permission) tested nothing behind the door: count it as not run.
  if grep -q "HTTP error codes detected.*\(401\|403\)" "$log" || grep -q "redirect.*sign-in" "$log"; then
    echo "ERROR    $who $url (refused: the scan did not reach the page)"
    failed=$((failed + 1))
    continue
  fi
  if grep -q "identified the following injection point" "$log"; then
    echo "INJECTABLE $who $url"
    grep -A6 "identified the following injection point" "$log"
    injectable=$((injectable + 1))
  else
    echo "clean    $who $url ($tested payload families tried)"
  fi
done

echo "--- summary: ${#targets[@]} targets, $injectable with injectable parameters, $failed not run"
[ "$injectable" -eq 0 ] && [ "$failed" -eq 0 ]
