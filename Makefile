# Co-production Portal. `make run` to use it, `make test` to test it. See README.md.
SHELL := /bin/bash
PY := .venv/bin/python
MANAGE := $(PY) manage.py
# The embedded default runs with DEBUG on; production sets its own environment.
RUN_ENV := DEBUG=$${DEBUG:-true}

.PHONY: install run test lint check-deploy migrate seed worker beat clean bench backup restore scan

.venv/installed: requirements.txt
	python3 -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip
	.venv/bin/pip install --quiet -r requirements.txt
	touch $@

static/vendor/nhsuk/nhsuk-frontend.min.css: package.json package-lock.json scripts/copy_nhsuk_assets.sh
	npm ci --no-audit --no-fund --loglevel=error
	./scripts/copy_nhsuk_assets.sh

install: .venv/installed static/vendor/nhsuk/nhsuk-frontend.min.css

migrate: install
	$(RUN_ENV) $(MANAGE) migrate --no-input

seed: migrate
	$(RUN_ENV) $(MANAGE) seed_demo

# The whole portal on http://127.0.0.1:8000 with a Celery worker and beat beside it. Ctrl-C stops all.
run: seed
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) .venv/bin/celery -A coproduction worker --loglevel=INFO --concurrency=2 & \
	$(RUN_ENV) .venv/bin/celery -A coproduction beat --loglevel=INFO & \
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000 --skip-checks & \
	wait

worker: install
	$(RUN_ENV) .venv/bin/celery -A coproduction worker --loglevel=INFO

beat: install
	$(RUN_ENV) .venv/bin/celery -A coproduction beat --loglevel=INFO

# The whole test suite. With no servers it uses SQLite; set DATABASE_URL and REDIS_URL to run it on
# PostgreSQL and Redis. Browser tests run when /usr/bin/chromium exists, and are skipped otherwise.
test: install
	.venv/bin/pytest $(PYTEST_ARGS)

lint: install
	.venv/bin/ruff check .
	$(MANAGE) makemigrations --check --dry-run

# Production-like settings must pass Django's deployment checks with no warnings.
check-deploy: install
	DEBUG=false SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=portal.example.org \
	  $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf .venv node_modules static/vendor staticfiles var

# Load benchmark of every role's key pages under gunicorn on PostgreSQL; writes bench/results.md.
# Needs PostgreSQL on 127.0.0.1:5432 and ApacheBench (apt-get install apache2-utils).
bench: install
	command -v ab >/dev/null || apt-get -o DPkg::Lock::Timeout=120 install -y -q apache2-utils
	.venv/bin/python bench/run.py

# Independent web scan: wapiti against gunicorn with production settings, signed in as a member and as
# staff; fails on any high or critical finding. Needs `apt-get install wapiti`. See docs/security/README.md.
scan: install
	./scripts/security_scan.sh

# Backup and restore of a PostgreSQL database (custom format, all tables, owners not kept).
#   make backup  DATABASE_URL=postgres://user@host:5432/db BACKUP=var/backup.dump
#   make restore DATABASE_URL=postgres://user@host:5432/newdb BACKUP=var/backup.dump  (db must exist, empty)
BACKUP ?= var/backup.dump
backup:
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL to the PostgreSQL database to back up" && exit 1)
	mkdir -p $(dir $(BACKUP))
	pg_dump --format=custom --no-owner --file=$(BACKUP) "$(DATABASE_URL)"
	@echo "Backed up to $(BACKUP)"

restore:
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL to the (empty) PostgreSQL database to restore into" && exit 1)
	pg_restore --no-owner --exit-on-error --jobs=2 --dbname="$(DATABASE_URL)" $(BACKUP)
	@echo "Restored $(BACKUP) into $(DATABASE_URL)"
