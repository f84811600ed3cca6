# The academy in two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test e2e lint format translations translations-update db demo bench cluster clean system-deps nginx-dep verify-pdf lock audit vendor-axe

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Everything is installed from the lock, each file checked against its hash; the lock pins
# pip too, so not one unchecked byte comes in.
$(VENV)/.installed: requirements.lock requirements-dev.lock | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# requirements*.txt name the direct dependencies; the locks pin the whole tree with the
# hashes of its files, for Python 3.11. Run after changing requirements*.txt; existing
# pins are kept unless UPGRADE=1. The service's lock constrains the dev lock, so both
# hold the same versions of what they share.
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)
lock: $(VENV)/.installed
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements-dev.txt -c requirements.lock -o requirements-dev.lock

# Known vulnerabilities of every locked package, from PyPI's advisory data (pip-audit):
# any found fails, and so does no network. A package the service did not answer for is
# counted on one line and fails only with AUDIT=strict, since some networks reach PyPI's
# index but not its advisory data. `make test AUDIT=off` leaves the audit out (offline).
audit: $(VENV)/.installed
	@out="$$($(BIN)/pip-audit --disable-pip --require-hashes --progress-spinner off \
		$(if $(filter strict,$(AUDIT)),--strict) -r requirements.lock -r requirements-dev.lock 2>&1)"; \
	status=$$?; echo "$$out" | grep -v 'could not be audited' | grep -v '^Name  *Skip Reason' \
		| grep -v '^-\{5,\} -\{5,\}' || true; \
	skipped=$$(echo "$$out" | grep -c 'could not be audited'); \
	[ "$$skipped" = 0 ] || echo "pip-audit: $$skipped packages could not be audited (no answer from the advisory service)"; \
	exit $$status

# Programs the tests use beside Python: poppler's pdftoppm renders certificate pages to
# images (QR decoding, looking at a page); Chromium shows the pages to the browser tests
# (tests/browser, through Playwright, which downloads no browser of its own); nginx checks
# the site in deploy/nginx (tests/test_deploy.py) and fronts `make cluster`. Installed
# from Debian's packages when missing, after refreshing the package lists, which a new
# machine may not have.
APT_INSTALL = sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	$$sudo apt-get update -qq && $$sudo apt-get install -y --no-install-recommends
system-deps:
	@missing=""; command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -x /usr/sbin/nginx || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then echo "Installing$$missing"; $(APT_INSTALL) $$missing; fi

# nginx alone, for `make cluster` on a machine that runs no browser tests.
nginx-dep:
	@test -x /usr/sbin/nginx || { echo "Installing nginx-light"; $(APT_INSTALL) nginx-light; }

# axe-core, the accessibility checker the browser tests inject into every page they visit,
# from the npm registry at a pinned version: the tarball must match the registry's
# integrity hash below. Its axe.min.js is committed (tests/browser/vendor/, with its
# SHA-256, which a test checks), so the tests run offline; run this only to move to
# another version (change both lines; `npm view axe-core@X dist.integrity`).
AXE_VERSION := 4.14.1
AXE_INTEGRITY := sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
AXE_DIR := tests/browser/vendor
vendor-axe:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	npm pack --silent --pack-destination "$$tmp" axe-core@$(AXE_VERSION) >/dev/null && \
	got="sha512-$$(openssl dgst -sha512 -binary "$$tmp/axe-core-$(AXE_VERSION).tgz" | base64 -w0)" && \
	if [ "$$got" != "$(AXE_INTEGRITY)" ]; then echo "axe-core $(AXE_VERSION): $$got is not the pinned integrity"; exit 1; fi && \
	tar -xzf "$$tmp/axe-core-$(AXE_VERSION).tgz" -C "$$tmp" package/axe.min.js package/LICENSE && \
	mkdir -p $(AXE_DIR) && cp "$$tmp/package/axe.min.js" $(AXE_DIR)/axe.min.js && \
	cp "$$tmp/package/LICENSE" $(AXE_DIR)/axe-LICENSE.txt && \
	(cd $(AXE_DIR) && sha256sum axe.min.js > axe.min.js.sha256) && \
	echo "axe-core $(AXE_VERSION) in $(AXE_DIR)/axe.min.js: $$(cut -d' ' -f1 $(AXE_DIR)/axe.min.js.sha256)"

# pybabel's own exit status decides (a pipe into grep would hide it); only its
# "compiling catalog" chatter is filtered out of what it prints.
translations: $(VENV)/.installed
	@out="$$($(BIN)/pybabel compile -d lms/translations --statistics 2>&1)" || { echo "$$out"; exit 1; }; \
		echo "$$out" | grep -v '^compiling' || true
	@test -f lms/translations/ka/LC_MESSAGES/messages.mo
	@test -f lms/translations/en/LC_MESSAGES/messages.mo

translations-update: $(VENV)/.installed
	# Babel skips folders whose names start with _ unless told otherwise: lms/templates/_macros
	# holds the pagination and form macros every page uses.
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs='.* __pycache__' -o lms/translations/messages.pot --no-location --sort-output --project "Academy LMS" .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching --ignore-obsolete

db: translations
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo seed

# The address QR codes, links and e-mails carry: the one `make run` serves, unless
# PUBLIC_BASE_URL says otherwise (behind a proxy, on a LAN address for phones).
RUN_URL := $(or $(PUBLIC_BASE_URL),http://$(HOST):$(PORT))

# Beside the web server, a job worker (issuing, ZIPs, e-mail) on the SQLite queue in
# instance/, with the same address for the links it writes. A background command of a
# script ignores Ctrl-C, so the worker is stopped when the server stops, however it stops.
run: db
	@if [ ! -f instance/.demo-loaded ]; then PUBLIC_BASE_URL=$(RUN_URL) $(FLASK) demo seed && touch instance/.demo-loaded; fi
	@cat instance/demo-accounts.txt 2>/dev/null || true
	@echo "The academy: $(RUN_URL)  (log in at $(RUN_URL)/login)"
	PUBLIC_BASE_URL=$(RUN_URL) $(FLASK) worker --workers 2 --type thread & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 0' INT TERM; \
	PUBLIC_BASE_URL=$(RUN_URL) $(FLASK) run --host $(HOST) --port $(PORT)

# The suite runs in parallel, one worker per core; PYTEST_WORKERS=0 runs it in one process.
# Each test file goes to one worker, so what a module sets up once (the demo academy,
# signing keys) is set up once. On PostgreSQL each worker has a database of its own (see
# tests/conftest.py).
# PYTEST_ARGS adds to pytest's command line (e.g. -m 'not browser').
PYTEST_WORKERS ?= auto
test: translations $(if $(filter off,$(AUDIT)),,audit)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The journeys and layouts in a real browser alone (tests/browser, marked `browser`; `make
# test` runs them too): each module serves a fresh demo academy on a free port to Debian's
# Chromium. Screenshots go to BROWSER_SCREENSHOTS (default tests/browser/screenshots/).
e2e: translations system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m browser tests/browser

# Check a certificate PDF offline (no database, no network). KEYS: a saved copy of the
# academy's /.well-known/jwks.json; without it, the keys in CERTIFICATE_KEY_DIR.
verify-pdf: $(VENV)/.installed
	@test -n "$(FILE)" || { echo 'usage: make verify-pdf FILE=path/to/cert.pdf [KEYS=jwks.json]'; exit 2; }
	@$(FLASK) certificates verify-pdf $(if $(KEYS),--keys '$(KEYS)') '$(FILE)'

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed
	@for f in bench/[!_]*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# The academy as several processes on this machine, loopback only: nginx in front of two
# gunicorns, a job worker, PostgreSQL and Redis (CLUSTER_POSTGRES, CLUSTER_REDIS); load
# through nginx with one web server killed half-way, and the checks of
# deploy/cluster/cluster.py (PASS/FAIL each). A few minutes; not part of `make test`.
cluster: translations nginx-dep
	deploy/cluster/run.sh $(CLUSTER_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
