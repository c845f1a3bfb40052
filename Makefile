# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000
# Everything started here may use the local .secret_key below; without
# make, a site with DEBUG off wants DJANGO_SECRET_KEY (see README).
export DJANGO_ALLOW_LOCAL_SECRET_KEY ?= 1
# The development apps (devtools, demo) for every target but the
# production-style `serve`.
run test demo admin-password bench bench-ticker bench-render lint lighthouse: export DJANGO_DEVTOOLS ?= 1
# The checkers from npm (Nu HTML checker, Lighthouse, axe-core), at the
# versions pinned in devtools/npm, installed here.
NPM_DIR := .cache/npm

.PHONY: run serve test setup demo admin-password bench bench-ticker bench-render lint format check validators lighthouse

run: setup demo
	DJANGO_STATIC_AUTOREFRESH=1 $(BIN)/python manage.py runserver $(HOST_PORT)

# Production-style: gunicorn with the settings in deploy/gunicorn.conf.py,
# all read from the environment (see README).
serve: setup
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py

test: setup validators
	$(BIN)/python -m pytest

setup: $(BIN)/.installed .secret_key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0

demo: setup
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py load_demo_ads
	$(BIN)/python manage.py load_demo_fronts
	$(BIN)/python manage.py create_demo_admin
	$(BIN)/python manage.py load_demo_ticker
	$(BIN)/python manage.py load_demo_gallery
	# Picture sizes added since an earlier `make demo` loaded its pictures.
	$(BIN)/python manage.py create_renditions

admin-password: setup
	$(BIN)/python manage.py create_demo_admin --reset-password

# The HTTP benchmark against nginx sending a static copy; uses the ports
# BENCH_PORT to BENCH_PORT+3.
BENCH_PORT ?= 8081
bench: setup demo
	@command -v wrk >/dev/null && command -v nginx >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null)
	$(BIN)/python manage.py bench_http --port $(BENCH_PORT)

# 1,000 readers polling one Liveticker through nginx while a journalist
# posts every 5 s; uses the ports BENCH_PORT+20 and +21.
bench-ticker: setup demo
	@command -v nginx >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null)
	ulimit -n 8192 2>/dev/null; $(BIN)/python manage.py bench_ticker --port $$(($(BENCH_PORT) + 20))

# Render time and queries per page inside one process, no HTTP.
bench-render: setup demo
	$(BIN)/python manage.py bench_article_page

# Lighthouse's four scores (mobile) for the home page and an article page.
lighthouse: setup demo validators
	$(BIN)/python manage.py lighthouse

validators: $(NPM_DIR)/.installed

$(NPM_DIR)/.installed: devtools/npm/package.json devtools/npm/package-lock.json
	mkdir -p $(NPM_DIR)
	cp devtools/npm/package.json devtools/npm/package-lock.json $(NPM_DIR)/
	cd $(NPM_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

# A random key for this checkout only; production sets DJANGO_SECRET_KEY.
.secret_key:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@
