# Fazhi: `make run` serves the demo, `make test` runs the whole suite. Nothing else needs installing first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench bench-http bench-parser bench-import install install-dev clean backup restore restore-drill \
	pg-backup bench-backup

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Fazhi 正在运行: http://$(HOST):$(PORT)/"
	@$(PY) manage.py load_demo --print-logins
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist, one test database per worker); a file's tests stay on one worker,
# because some share a resource within the file (a scratch database, a Redis database). TEST_WORKERS=0: serial.
TEST_WORKERS ?= auto
test: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# Parser speed on a generated 30-item document (or FILE=path): one JSON line, median and p95 in ms.
bench-parser: install
	$(PY) -m tasks.parsing.bench $(FILE)

# Import speed on a generated 30-item task table: Excel read, preview page, import_plan (JSON lines, ms).
bench-import: install
	$(PY) -m tasks.importing.bench

# Portable backup (README "Backups"): every table streamed as JSON Lines plus every stored file into one .tar
# with a manifest (row counts, SHA-256) written last. Restore checks everything first, needs an empty database.
backup: install
	$(PY) manage.py backup $(if $(OUTPUT),--output $(OUTPUT),)

restore: install
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/fazhi-....tar" && exit 2)
	$(PY) manage.py restore $(FILE)

# Restore drill: the newest backup into a scratch database, checked, timed, recorded (/ops/drills/).
# KIND=pitr: point-in-time restore through pgBackRest (PostgreSQL); TARGET="2026-11-30 14:05" picks the minute.
restore-drill: install
	$(PY) manage.py restore_drill --kind $(or $(KIND),portable) $(if $(ARCHIVE),--archive $(ARCHIVE),) \
		$(if $(TARGET),--target-time "$(TARGET)",)

# PostgreSQL-native backup through pgBackRest (TYPE=full|diff|incr), evidence files mirrored to FILES_TO.
pg-backup: install
	$(PY) manage.py pg_backup --type $(or $(TYPE),full) $(if $(FILES_TO),--files-to $(FILES_TO),)

# Backup/restore time and peak memory at city and province scale (README "Backups"); BACKUP_SCALES limits,
# BACKUP_NATIVE=0 skips the pgBackRest/PITR part (which needs initdb and pgbackrest).
BACKUP_SCALES ?= city province
BACKUP_NATIVE ?= 1
bench-backup: install
	$(PY) -m ops.bench --scales "$(BACKUP_SCALES)" $(if $(filter 1,$(BACKUP_NATIVE)),--native,)

# Dashboards at scale: seeds (or reuses) each scale in its own SQLite and PostgreSQL databases, then prints
# median/p95 server time and query counts per page, ending with one JSON line per measurement.
# Limit with SCALES="small city"; BENCH_PG_URL picks the PostgreSQL server (see README "Dashboards and performance").
SCALES ?= small city province
BENCH_DBS ?= sqlite postgresql
bench: install
	$(PY) -m dashboard.bench --scales "$(SCALES)" --dbs "$(BENCH_DBS)"
	$(PY) -m tasks.parsing.bench

# Every page through gunicorn with production settings on PostgreSQL + Redis: median of 8 alone and pages/s
# under `wrk -t2 -c8 -d6s` (installs Debian's wrk if missing), query counts, goals, one JSON line per page.
# BENCH_HTTP_SCALES limits the scales, BENCH_HTTP_ONLY="review,plan list" the pages (README "Dashboards and performance").
BENCH_HTTP_SCALES ?= province small
bench-http: install
	$(PY) -m dashboard.bench_http --scales "$(BENCH_HTTP_SCALES)" $(if $(BENCH_HTTP_ONLY),--only "$(BENCH_HTTP_ONLY)",)
