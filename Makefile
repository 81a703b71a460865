# Developer entry points. Everything runs from the project's own .venv.
PYTHON ?= python3
PORT ?= 8000
PYTEST_ARGS ?=

VENV := .venv
VPY := $(VENV)/bin/python

# Compile translations when there is something to compile and gettext is installed.
define compile_messages
	@if [ -d locale ] && find locale -name '*.po' | grep -q . && command -v msgfmt >/dev/null 2>&1; then \
		$(VPY) manage.py compilemessages --ignore=$(VENV) --ignore=var; \
	else \
		echo "compilemessages skipped (no locale/*.po or no msgfmt)"; \
	fi
endef

.PHONY: test lint run bench messages clean venv venv-test

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

# Runtime dependencies only (used by `make run`).
$(VENV)/.installed: requirements.txt
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -r requirements.txt
	touch $@

# Runtime + test dependencies (requirements-test.txt includes requirements.txt).
$(VENV)/.installed-test: requirements.txt requirements-test.txt
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -r requirements-test.txt
	touch $@

# pycodestyle, pyflakes and import order (settings in pyproject.toml); `make test` runs it first.
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

test: lint
	$(compile_messages)
	DJANGO_ALLOW_ASYNC_UNSAFE=1 scripts/with-services $(VENV)/bin/pytest $(PYTEST_ARGS)

run: $(VENV)/.installed
	mkdir -p var/broker/data var/broker/processed
	$(VPY) manage.py migrate --noinput
	$(compile_messages)
	$(VPY) manage.py seed_demo
	exec env PORT=$(PORT) scripts/run-all

# Not part of CI: builds the synthetic dataset at 1x and 10x on a throw-away PostgreSQL and
# measures every key page and job (var/bench/latest.json). BENCH_ARGS="--scale 0.1" for a quick run.
BENCH_ARGS ?=
bench: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=bapas.settings.test ALLOWED_HOSTS=testserver,127.0.0.1,localhost \
		scripts/with-services $(VPY) manage.py bench $(BENCH_ARGS)

messages: $(VENV)/.installed
	$(VPY) manage.py makemessages -l id -l en --ignore=$(VENV) --ignore=var --ignore=tests
	$(compile_messages)

# Removes local state and test leftovers; keeps .venv.
clean:
	rm -rf var/ .pytest_cache/ test-results/ staticfiles/
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
