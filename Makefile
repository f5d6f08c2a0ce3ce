# Manyi — the two commands are `make run` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format messages bench bench-env worker chromium fonts poppler plspm-env clean-db check-deploy

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

## run: install, migrate, load the demo world and serve http://$(HOST):$(PORT) with a task worker
run: $(STAMP) fonts
	@HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

## test: everything the tests need (Debian's Chromium included), then the whole suite
test: $(STAMP) chromium fonts poppler plspm-env
	$(PY) manage.py compilemessages --ignore=.venv* -v0
	$(VENV)/bin/pytest

test-fast: $(STAMP)
	$(VENV)/bin/pytest -m "not browser and not slow" -x -q

# Debian packages the project needs, installed when missing (the machine's own, never downloaded builds).
# Another apt process (unattended upgrades, a second `make`) may hold the dpkg lock: wait for it.
APT_LOCK_WAIT = -o DPkg::Lock::Timeout=600
APT_INSTALL = (apt-get $(APT_LOCK_WAIT) update -qq || true) && \
  DEBIAN_FRONTEND=noninteractive apt-get $(APT_LOCK_WAIT) install -y -qq

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  (echo "Installing Debian's chromium for the browser tests…" && $(APT_INSTALL) chromium >/dev/null)

## fonts: the Chinese font that PDFs embed (Noto CJK), and HarfBuzz's subsetter that cuts it down
fonts:
	@fc-list :lang=zh family 2>/dev/null | grep -q "Noto Sans CJK SC" && fc-list | grep -q DejaVuSans || \
	  (echo "Installing Debian's fonts-noto-cjk and fonts-dejavu-core for PDFs…" && \
	   $(APT_INSTALL) fonts-noto-cjk fonts-dejavu-core >/dev/null)
	@# Without it WeasyPrint falls back to fontTools: slower, and a warning on every PDF.
	@(ldconfig -p || /sbin/ldconfig -p) 2>/dev/null | grep -q harfbuzz-subset || \
	  (echo "Installing Debian's libharfbuzz-subset0 so that WeasyPrint subsets fonts with HarfBuzz…" && \
	   $(APT_INSTALL) libharfbuzz-subset0 >/dev/null)

poppler:
	@command -v pdftotext >/dev/null 2>&1 || \
	  (echo "Installing Debian's poppler-utils (tests read the PDFs back)…" && $(APT_INSTALL) poppler-utils >/dev/null)

## plspm-env: plspm 0.5.7 in its own environment (its pins clash with ours), for the cross-check
PLSPM_STAMP := .venv-plspm/.installed
$(PLSPM_STAMP):
	$(PYTHON) -m venv .venv-plspm
	.venv-plspm/bin/pip install --quiet --disable-pip-version-check plspm==0.5.7 numpy==1.26.4 pandas==2.2.2 \
	  scipy==1.13.1 statsmodels==0.14.2 scikit-learn==1.5.0
	touch $(PLSPM_STAMP)

plspm-env: $(PLSPM_STAMP)

## bench-env: locust in its own environment (gevent stays out of requirements.lock), for
## benchmarks/web_load.py, which runs it as a separate process
BENCH_STAMP := .venv-bench/.installed
$(BENCH_STAMP):
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/pip install --quiet --disable-pip-version-check locust==2.47.0
	touch $(BENCH_STAMP)

bench-env: $(BENCH_STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts

format: $(STAMP)
	$(VENV)/bin/ruff format src tests benchmarks scripts
	$(VENV)/bin/ruff check --fix src tests benchmarks scripts

## messages: refresh both catalogues from the source (then translate what is new)
messages: $(STAMP)
	cd src/manyi && ../../$(PY) ../../manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore 'static/*'
	$(PY) scripts/fill_zh_catalogue.py

worker: $(STAMP)
	$(PY) manage.py qcluster

bench: $(STAMP)
	$(PY) benchmarks/measurement.py
	$(PY) benchmarks/customer_import.py
	$(PY) benchmarks/sample_draw.py
	$(PY) benchmarks/similarity.py
	$(PY) benchmarks/web_responses.py --seconds 60

check-deploy: $(STAMP)
	MANYI_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(60))') \
	  ALLOWED_HOSTS=manyi.example.cn DEBUG=0 $(PY) manage.py check --deploy --fail-level WARNING

clean-db:
	rm -f var/db.sqlite3 var/db.sqlite3-wal var/db.sqlite3-shm
