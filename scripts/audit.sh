#!/usr/bin/env bash
# make audit: Lighthouse (mobile preset, simulated throttling) on the home
# page, the smart-city article and the Rencontres page, served as in
# production (DEBUG off, gunicorn, WhiteNoise with compressed hashed static
# files) from a throwaway SQLite database with the demo content.
#
# Prints the four category scores of each page and, under a page, every audit
# that did not pass, so that a low score says why. Exits with status 1 when a
# score is below AUDIT_MIN (0.95). AUDIT_REPORTS=dir keeps the JSON reports.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${AUDIT_PORT:-8765}"
MIN="${AUDIT_MIN:-0.95}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
WORK="$(mktemp -d)"
REPORTS="${AUDIT_REPORTS:-$WORK/reports}"
mkdir -p "$REPORTS"
cleanup() {
    # Only the server this script started: a bare `kill 0` would hit make itself.
    if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="audit-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_HSTS_SECONDS=0
export DATABASE_URL="sqlite:///$WORK/audit.sqlite3"
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media"
export SITE_URL="http://127.0.0.1:$PORT"

[ -d node_modules/lighthouse ] || npm ci --no-audit --no-fund --ignore-scripts
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py load_demo --allow-production >/dev/null
ARTICLE=$(.venv/bin/python manage.py shell -v0 -c "from articles.demo import SMART_CITY_SLUG; from articles.models import Article; print(Article.objects.get(slug=SMART_CITY_SLUG).get_absolute_url())")
EVENT=$(.venv/bin/python manage.py shell -v0 -c "from events.demo import RENCONTRES_SLUG; from events.models import Event; print(Event.objects.get(slug=RENCONTRES_SLUG).get_absolute_url())")
.venv/bin/gunicorn newsroom.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
SERVER_PID=$!
for _ in $(seq 1 30); do curl -fs "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 1; done

status=0
for path in / "$ARTICLE" "$EVENT"; do
    name=$(echo "$path" | tr -c 'a-z0-9\n' '-' | sed 's/^-*//; s/-*$//')
    out="$REPORTS/${name:-home}.json"
    node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$path" --quiet --output=json --output-path="$out" \
        --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" >/dev/null
    .venv/bin/python - "$out" "$path" "$MIN" <<'PY' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
minimum = float(sys.argv[3])
scores = {key: cat["score"] for key, cat in report["categories"].items()}
print(f"{sys.argv[2]:<72} " + "  ".join(f"{k}={v:.2f}" for k, v in scores.items()))
metrics = report["audits"]["metrics"]["details"]["items"][0]
print(f"    FCP {metrics['firstContentfulPaint']} ms, LCP {metrics['largestContentfulPaint']} ms, "
      f"TBT {metrics['totalBlockingTime']} ms, CLS {metrics['cumulativeLayoutShift']:.3f}")
for key, category in report["categories"].items():
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"    {key}: {ref['id']} = {audit['score']:.2f}  {audit.get('displayValue', '')}")
sys.exit(1 if min(scores.values()) < minimum else 0)
PY
done
[ "$status" -eq 0 ] || echo "Un score au moins est sous $MIN (rapports JSON : AUDIT_REPORTS=dossier make audit)."
exit "$status"
