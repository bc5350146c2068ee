#!/usr/bin/env bash
# SQL injection scan: starts ForceLedger on a throwaway PostgreSQL cluster (the production backend) and a free local
# port, signs in (session cookie and CSRF token for the pages, an API token for the JSON API) and runs sqlmap in batch
# mode against the API, sign-in and the main form and list endpoints, query parameters and path ids alike. Prints one
# line per target and a summary; exits 1 if sqlmap finds any injectable parameter, or a target could not be scanned
# (sqlmap failed, the page refused the scan's session, or the app answered 500). Only ever talks to 127.0.0.1.
#
#   scripts/sqlmap.sh            # about 10–20 minutes on a quiet machine
#   SQLMAP_LEVEL=2 scripts/sqlmap.sh   # more parameters and payloads (cookies, headers), slower
#   SQLMAP_ONLY=/sign-in scripts/sqlmap.sh   # only the targets whose address contains this text
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v sqlmap >/dev/null 2>&1 || need+=(sqlmap)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
if [ ${#need[@]} -gt 0 ]; then
  echo "--- installing ${need[*]} (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/forceledger-sqlmap.XXXXXX)
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
base="http://127.0.0.1:$port"
server_pid=""
# PostgreSQL rather than PGlite: the sign-in scan clears the sign-in throttle before each request (below), which
# needs a second connection to the database while the server runs.
pgdir=$(mktemp -d /tmp/forceledger-sqlmap-pg.XXXXXX)
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  scripts/postgres-test-cluster.sh stop "$pgdir"
  rm -rf "$work" "$pgdir"
}
trap cleanup EXIT
database_url=$(scripts/postgres-test-cluster.sh start "$pgdir")

echo "--- starting ForceLedger on $base (PostgreSQL in $pgdir)"
DATABASE_URL="$database_url" PORT=$port HOST=127.0.0.1 JOBS_INTERVAL_MINUTES=0 LOG_LEVEL=warn \
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
  "anonymous|$base/sign-in|_csrf=x&username=nobody&password=not-the-password"
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
scanned=0
echo "--- sqlmap (level $level, risk 1) against ${#targets[@]} targets"
for target in "${targets[@]}"; do
  IFS='|' read -r who url data <<<"$target"
  [[ "$url" == *"${SQLMAP_ONLY:-}"* ]] || continue
  scanned=$((scanned + 1))
  args=(--batch --level="$level" --risk=1 --time-sec=2 --disable-coloring --flush-session
    --output-dir="$work/sqlmap" --skip-waf --answers="follow=N")
  # What a page that the scan did not reach answers: signed out (401, or sent to sign in), no permission (403),
  # throttled (429). A wrong password is a 401 on the sign-in page itself, so there only 403 and 429 mean refused.
  refused='\b(401|403|429) \('
  case "$who" in
    api) args+=(--threads=2 --headers="Authorization: Bearer $api_token") ;;
    # Before each request sqlmap GETs the page for a fresh CSRF token and puts it in the _csrf field (which it cannot
    # do with threads); the wrong password's 401 is the page's normal answer. Sign-in locks an address after 30
    # failures (src/features/auth/throttle.ts), after which every answer would be the same 429 and the scan would
    # test nothing: the throttle is emptied before each request, for this scan only.
    anonymous)
      args+=(-p username,password --csrf-token=_csrf --csrf-url="$base/sign-in" --csrf-method=GET --ignore-code=401
        --eval="import subprocess; subprocess.run(['psql', '-q', '-d', '$database_url', '-c', 'delete from sign_in_throttle'], check=True)")
      refused='\b(403|429) \('
      ;;
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
  # sqlmap lists the error statuses it met on the line after this heading.
  codes=$(grep -A1 "HTTP error codes detected" "$log" | tail -n +2 || true)
  # A scan that was refused tested nothing behind the door: count it as not run.
  if grep -Eq "$refused" <<<"$codes" || grep -q "redirect.*sign-in" "$log"; then
    echo "ERROR    $who $url (refused: the scan did not reach the page: $codes)"
    failed=$((failed + 1))
    continue
  fi
  # A payload that makes a 500 is a defect even when nothing is injectable: bad input must get a 4xx.
  if grep -q "500 (" <<<"$codes"; then
    echo "ERROR    $who $url (the app answered 500: $codes)"
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

echo "--- summary: $scanned targets, $injectable with injectable parameters, $failed not run"
[ "$injectable" -eq 0 ] && [ "$failed" -eq 0 ]
