#!/usr/bin/env bash
# Independent web scan (issue 8): Debian's wapiti against the portal served as in production
# (gunicorn, DEBUG off, whitenoise, TLS), signed in as a member and then as staff. Fails if any
# finding is high or critical; lists the rest. Reports go to docs/security/wapiti/.
#
# Installs nothing: needs `wapiti` and `openssl` (apt) and the project installed (`make install`).
# Uses a throwaway SQLite database and folders in a temporary directory, and port 8765 only.
# Run it with `make scan`; see docs/security/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

host=127.0.0.1
port=8765
base="https://$host:$port"
reports=${SCAN_REPORTS:-docs/security/wapiti}
python=.venv/bin/python
# Who to scan as: report name and demo account (coproduction/demo.py).
roles=(member staff)
declare -A account=([member]=member@example.org [staff]=staff@example.org)

# Time limits in seconds, so both scans end well inside ten minutes on two cores: the crawl, each
# attack module, and a hard stop per role (wapiti checks its own limits only between whole requests
# and their payloads, so one big form can overrun them). Findings are kept as they are found.
crawl_seconds=${SCAN_CRAWL_SECONDS:-60}
attack_seconds=${SCAN_ATTACK_SECONDS:-20}
role_seconds=${SCAN_ROLE_SECONDS:-220}

command -v wapiti >/dev/null || { echo "wapiti is not installed: apt-get install wapiti" >&2; exit 2; }
test -x "$python" || { echo "Run make install first" >&2; exit 2; }
if curl -s -o /dev/null "http://$host:$port/" || curl -sk -o /dev/null "$base/"; then
  echo "Port $port is already in use; stop whatever is serving it first" >&2
  exit 2
fi

started=$(date +%s)
work=$(mktemp -d)
server_pid=""
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  # SCAN_LOG_DIR=dir keeps the server and wapiti logs, to look into a finding.
  if [[ -n ${SCAN_LOG_DIR:-} ]]; then
    mkdir -p "$SCAN_LOG_DIR" && cp "$work"/*.log "$SCAN_LOG_DIR"/ 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Production settings, but a database, uploads and static files that live only for this scan.
# TLS from a throwaway self-signed certificate, so secure cookies, HSTS and the HTTPS redirect are
# exactly as in production (over plain HTTP the Secure cookies would not come back and the scan
# would run signed out).
export DEBUG=false
SECRET_KEY=$(openssl rand -hex 32)
export SECRET_KEY
export ALLOWED_HOSTS="$host,localhost"
export SITE_URL="$base"
export DATABASE_URL="sqlite:///$work/scan.sqlite3"
export MEDIA_ROOT="$work/media" STATIC_ROOT="$work/static"
export EMAIL_URL=consolemail:// CELERY_TASK_ALWAYS_EAGER=true LOG_LEVEL=WARNING
unset REDIS_URL
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=$host" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

echo "== Preparing a throwaway portal"
$python manage.py migrate --no-input -v 0
$python manage.py seed_demo >/dev/null
$python manage.py collectstatic --no-input -v 0

echo "== Starting gunicorn on $base"
.venv/bin/gunicorn coproduction.wsgi --bind "$host:$port" --workers 2 --timeout 30 \
  --certfile "$work/cert.pem" --keyfile "$work/key.pem" \
  --access-logfile "$work/access.log" --error-logfile "$work/error.log" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 60); do
  curl -skf -o /dev/null "$base/healthz" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/error.log" >&2; exit 1; }
  sleep 0.5
done
curl -skf -o /dev/null "$base/healthz" || { echo "The portal did not start" >&2; exit 1; }

# Debian's wapiti 3.0.4, run with three small corrections (docs/security/README.md says why):
# 1. --exclude crashes it on Python 3.11: its wildcard regex ends in "(?ms)" (wapiti-scanner/wapiti#596).
# 2. It sends each field of a multipart form (file uploads) as a file named after the field, so
#    Django never sees the CSRF token and every upload form answers 403, untested.
# 3. Its csrf module does not know Django's token field, so it would report every form as lacking
#    one instead of testing that the token is checked.
read -r -d '' launcher <<'PY' || true
import re
import sys

from wapitiCore.attack.mod_csrf import mod_csrf
from wapitiCore.main.wapiti import wapiti_main
from wapitiCore.net import crawler, web


def wildcard_translate(pattern):
    return re.compile("(?ms)" + ".*".join(re.escape(part) for part in pattern.split("*")) + r"\Z")


send_form = crawler.Crawler.post


def post(self, form, follow_redirects=False, headers=None):
    if form.is_multipart and form.post_params:
        fields = [[name, (None, value)] for name, value in form.post_params]  # no file name: a field
        form = web.Request(
            form.path, form.method, get_params=form.get_params, file_params=fields + form.file_params,
            encoding=form.encoding, enctype=form.enctype, referer=form.referer, link_depth=form.link_depth
        )
    return send_form(self, form, follow_redirects, headers)


crawler.wildcard_translate = wildcard_translate
crawler.Crawler.post = post
mod_csrf.TOKEN_FORM_STRINGS.append("csrfmiddlewaretoken")
sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
PY
wapiti=(/usr/bin/python3 -c "$launcher")

# Is this session still signed in? The dashboard answers 200 only to a signed-in user.
signed_in() {
  local session
  session=$("$python" -c 'import json, sys; cookies = json.load(open(sys.argv[1]))
print(cookies[sys.argv[2]]["/"]["sessionid"]["value"])' "$1" "$host")
  [[ $(curl -sk -o /dev/null -w '%{http_code}' -b "sessionid=$session" "$base/dashboard/") == 200 ]]
}

# What a scan reached, from wapiti's stored session and its log: the pages and forms it crawled (ids
# shown as <id>), how many each module attacked, the limits it met and notes it only logs.
coverage() {
  "$python" - "$@" <<'PY'
import re
import sqlite3
import sys
from urllib.parse import urlsplit

database, account, log, output = sys.argv[1:]
with sqlite3.connect(database) as db:
    # Crawled means fetched (headers stored); a crawl stopped by its time limit also stores its queue.
    crawled = db.execute("SELECT path_id, method, path FROM paths WHERE evil = 0 AND headers IS NOT NULL").fetchall()
    attacked = db.execute("SELECT module_name, COUNT(DISTINCT path_id) FROM attack_log GROUP BY module_name").fetchall()
    targets = db.execute(
        "SELECT COUNT(DISTINCT paths.path_id) FROM paths JOIN params ON params.path_id = paths.path_id"
        " WHERE evil = 0 AND headers IS NOT NULL"
    ).fetchone()[0]
uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
pages = sorted({(uuid.sub("<id>", urlsplit(url).path), method) for _, method, url in crawled})
with open(log, encoding="utf-8") as file:
    notes = [line.strip() for line in file if "reached" in line or "Interesting methods" in line]
lines = [
    f"Signed in as {account}: {len(crawled)} URLs and forms crawled ({len(pages)} once ids are set aside).",
    f"Resources attacked, by module, of the {targets} with parameters: "
    + ", ".join(f"{name} {count}" for name, count in sorted(attacked)),
    *notes,
    "",
    *(f"{method:4} {path}" for path, method in pages),
]
with open(output, "w", encoding="utf-8") as file:
    file.write("\n".join(lines) + "\n")
print("\n".join(f"   {line}" for line in lines[: 2 + len(notes)]))
PY
}

mkdir -p "$reports"
for role in "${roles[@]}"; do
  echo "== Scanning as $role (${account[$role]})"
  cookies="$work/$role-cookies.json"
  SCAN_SESSIONS_ALLOWED=true $python manage.py scan_session "${account[$role]}" --host "$host" --output "$cookies"
  signed_in "$cookies" || { echo "The $role session is not signed in" >&2; exit 1; }

  # Modules: wapiti's common set, less ssrf (it needs wapiti's own server on the internet) and blindsql
  # (time-based: SQLite has no sleep, and one big form takes it minutes), plus csrf, crlf and methods.
  # Injecting into Django's CSRF token field only earns a 403, so that field is not attacked.
  # allauth's account pages are left out: they hold sign-out and two-step settings (the session must
  # live to the end) and answer 429 after a few posts, which would spend each module's time there
  # (wapiti attacks in URL order). Account deletion is left out for the same reason.
  options=(
    --url "$base/" --scope folder --cookie "$cookies" --no-bugreport --verbose 0
    --exclude "$base/accounts/*" --exclude "$base/your-data/delete/*"
    --skip csrfmiddlewaretoken --depth 6 --max-links-per-page 40 --max-files-per-dir 25 --timeout 10
    --max-scan-time "$crawl_seconds" --max-attack-time "$attack_seconds"
    --store-session "$work/wapiti-$role" --store-config "$work/wapiti-config"
  )
  role_started=$(date +%s)
  log="$work/wapiti-$role.log"
  status=0
  timeout "$role_seconds" "${wapiti[@]}" "${options[@]}" --flush-session \
    --module "common,-ssrf,-blindsql,csrf,crlf,methods" --format json --output "$work/$role-first.json" \
    >"$log" 2>&1 || status=$?
  if [[ $status == 124 ]]; then
    echo "   stopped at the $role_seconds s limit; the reports hold what was found until then"
  elif [[ $status != 0 ]]; then
    cat "$log" >&2
    exit 1
  fi
  # The reports, from the findings wapiti stored as it went: no modules run, no new requests.
  for format in json txt; do
    "${wapiti[@]}" "${options[@]}" --skip-crawl --module=-all --format "$format" --output "$reports/$role.$format" \
      >"$work/report.log" 2>&1 || { cat "$work/report.log" >&2; exit 1; }
  done
  coverage "$work/wapiti-$role"/*.db "${account[$role]}" "$log" "$reports/$role-coverage.txt"
  echo "   $(( $(date +%s) - role_started )) s"
  signed_in "$cookies" || { echo "The $role session ended during the scan: part of it ran signed out" >&2; exit 1; }
done

echo "== Server errors during the scans"
grep -E '" 5[0-9]{2} ' "$work/access.log" || echo "none"

echo "== Findings"
# wapiti 3.0.4 gives each finding a level: 4 critical, 3 high, 2 medium, 1 low, 0 info. Anomalies
# (server errors, timeouts) count too: an error 500 is reported as high.
status=0
"$python" - "${roles[@]/#/$reports/}" <<'PY' || status=$?
import json
import sys

names = {4: "CRITICAL", 3: "HIGH", 2: "medium", 1: "low", 0: "info"}
serious = 0
for stem in sys.argv[1:]:
    role = stem.rsplit("/", 1)[-1]
    with open(f"{stem}.json", encoding="utf-8") as file:
        report = json.load(file)
    for kind in ("vulnerabilities", "anomalies", "additionals"):
        for category, findings in report[kind].items():
            for finding in findings:
                level = int(finding["level"])
                serious += level >= 3
                where = f"{finding['method']} {finding['path']}"
                if finding["parameter"]:
                    where += f" ({finding['parameter']})"
                print(f"{names.get(level, level):8} {role:6} {category}: {where}: {finding['info']}")
print(f"{serious} high or critical finding(s)." if serious else "No high or critical findings.")
sys.exit(1 if serious else 0)
PY
echo "== Scan took $(( $(date +%s) - started )) s; reports in $reports/"
exit "$status"
