#!/usr/bin/env bash
# make audit: Lighthouse (mobile preset) on the home page, the smart-city
# article and the Rencontres page, served as in production (DEBUG off,
# gunicorn, WhiteNoise with compressed hashed static files) from a throwaway
# SQLite database with the demo content. Prints the four category scores.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${AUDIT_PORT:-8765}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
WORK="$(mktemp -d)"
trap 'kill "${SERVER_PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

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
ARTICLE=$(.venv/bin/python manage.py shell -c "from articles.demo import SMART_CITY_SLUG; from articles.models import Article; print(Article.objects.get(slug=SMART_CITY_SLUG).get_absolute_url())")
EVENT=$(.venv/bin/python manage.py shell -c "from events.models import Event; e = Event.objects.published().order_by('starts_at').first(); print(e.get_absolute_url() if e else '/evenements/')" 2>/dev/null || echo /evenements/)
.venv/bin/gunicorn newsroom.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
SERVER_PID=$!
for _ in $(seq 1 30); do curl -fs "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 1; done

for path in / "$ARTICLE" "$EVENT"; do
    out="$WORK/report.json"
    node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$path" --quiet --output=json --output-path="$out" \
        --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" >/dev/null
    .venv/bin/python - "$out" "$path" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = {key: cat["score"] for key, cat in report["categories"].items()}
print(f"{sys.argv[2]:<80} " + "  ".join(f"{k}={v:.2f}" for k, v in scores.items()))
PY
done
