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
run test test-postgres test-engines demo admin-password bench bench-instructions bench-ticker bench-render lint lighthouse objectstore related-corpora evaluate-related: export DJANGO_DEVTOOLS ?= 1
# The checkers from npm (Nu HTML checker, Lighthouse, axe-core), at the
# versions pinned in devtools/npm, installed here.
NPM_DIR := .cache/npm

.PHONY: run serve test test-postgres setup demo admin-password bench bench-instructions bench-ticker bench-render lint format check validators lighthouse varnish test-engines objectstore related-corpora evaluate-related

# The site and, beside it, the worker that runs its background jobs; both
# reload on code changes, and stopping make stops both. The worker gets a
# process group of its own (set -m), so that its reloader goes with it.
# One worker for both queues, polling as often as production's edge worker
# does (a purge may wait behind a picture here; nobody reads through a
# Varnish then).
run: setup demo
	set -m; $(BIN)/python manage.py run_worker --reload --queue-name=default,edge --interval=0.2 & worker=$$!; \
	trap 'kill -TERM -- -$$worker 2>/dev/null || kill -TERM $$worker; wait $$worker' EXIT; \
	DJANGO_STATIC_AUTOREFRESH=1 $(BIN)/python manage.py runserver $(HOST_PORT)

# Production-style: gunicorn with the settings in deploy/gunicorn.conf.py,
# all read from the environment (see README).
serve: setup
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py

test: setup validators
	$(BIN)/python -m pytest

# The same suite on PostgreSQL: POSTGRES_TEST_URL names a database on the
# server (pytest makes its own test_… database there). `make -j2 test
# test-postgres` runs both at once, as CI does.
test-postgres: setup validators
	@test -n "$(POSTGRES_TEST_URL)" || (echo "POSTGRES_TEST_URL=postgres://… fehlt" && exit 2)
	DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/python -m pytest -p no:cacheprovider

setup: $(BIN)/.installed .secret_key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0

demo: setup
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py load_demo_ads
	$(BIN)/python manage.py load_demo_fronts
	$(BIN)/python manage.py create_demo_admin
	$(BIN)/python manage.py load_demo_ticker
	$(BIN)/python manage.py load_demo_embeds
	$(BIN)/python manage.py load_demo_agency
	$(BIN)/python manage.py load_demo_gallery
	# Picture sizes added since an earlier `make demo` loaded its pictures.
	$(BIN)/python manage.py create_renditions

admin-password: setup
	$(BIN)/python manage.py create_demo_admin --reset-password

# The HTTP benchmark against nginx sending a static copy; uses the ports
# BENCH_PORT to BENCH_PORT+4. BENCH_ARGS=--quick for a short run (CI).
BENCH_PORT ?= 8081
BENCH_ARGS ?=
bench: setup demo varnish
	@command -v wrk >/dev/null && command -v nginx >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null)
	$(BIN)/python manage.py bench_http --port $(BENCH_PORT) $(BENCH_ARGS)

# Instructions per request of one gunicorn worker under valgrind's
# callgrind: the same count in every run, however busy the machine.
bench-instructions: setup demo
	@command -v valgrind >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null)
	$(BIN)/python manage.py bench_instructions --port $$(($(BENCH_PORT) + 30)) $(INSTRUCTIONS_ARGS)

# 1,000 readers polling one Liveticker through nginx while a journalist
# posts every 5 s; uses the ports BENCH_PORT+20 and +21.
bench-ticker: setup demo
	@command -v nginx >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null)
	ulimit -n 8192 2>/dev/null; $(BIN)/python manage.py bench_ticker --port $$(($(BENCH_PORT) + 20))

# Render time and queries per page inside one process, no HTTP.
bench-render: setup demo
	$(BIN)/python manage.py bench_article_page

# Varnish with the xkey module (deploy/varnish.vcl), from Debian; only the
# program: tests and benchmarks start their own varnishd on a free port,
# and a system service the package may have started is stopped.
varnish:
	@command -v varnishd >/dev/null && find /usr/lib -name libvmod_xkey.so | grep -q . || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish varnish-modules >/dev/null && \
		 (systemctl disable --now varnish >/dev/null 2>&1 || true))

# Two app servers, PostgreSQL, Redis and Varnish together
# (tests/engines); needs DATABASE_URL=postgres://… and a Redis at
# NEWSROOM_ENGINES_REDIS_URL (default: database 12 on the local one),
# which the tests empty.
test-engines: setup varnish
	NEWSROOM_ENGINE_TESTS=1 $(BIN)/python -m pytest tests/engines

# An S3 server (SeaweedFS from PyPI) on free local ports with the bucket
# newsroom-media; prints the DJANGO_S3_* variables, stops on Ctrl+C.
objectstore: setup
	$(BIN)/python manage.py objectstore

# Lighthouse's four scores (mobile) for the home page and an article page.
lighthouse: setup demo validators
	$(BIN)/python manage.py lighthouse

# Held-out corpora for "Das könnte Sie auch interessieren", built from the
# data that three packages ship (fetched as files, not installed); kept out
# of the repository so that nobody tunes the ranking to them.
CORPORA_DIR := .cache/related-corpora
related-corpora: setup
	mkdir -p $(CORPORA_DIR)/packages
	$(BIN)/pip download -q --no-deps --only-binary=:all: --python-version 3.11 \
		--platform manylinux_2_17_x86_64 -d $(CORPORA_DIR)/packages gensim==4.3.3 lda==3.0.2
	@ls $(CORPORA_DIR)/packages/r-cran-tm_*.deb >/dev/null 2>&1 || \
		(cd $(CORPORA_DIR)/packages && apt-get download r-cran-tm 2>/dev/null || \
		(apt-get update -qq && apt-get download r-cran-tm))
	$(BIN)/python manage.py build_related_corpora $(CORPORA_DIR)/packages $(CORPORA_DIR)

# Our ranking and the baselines on the shipped corpus and the held-out ones,
# settings chosen on one half of the articles and reported on the other.
evaluate-related: related-corpora
	$(BIN)/python manage.py evaluate_related --cross-validate \
		recommendations/corpus/related_evaluation_de.jsonl $(CORPORA_DIR)/*.jsonl

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
