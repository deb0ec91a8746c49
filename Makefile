# Two commands: `make run` (set up, open the app on the sample retrospective) and
# `make test` (set up with the test extras, run the whole suite). Both install exactly the
# versions in requirements/*.txt (pip-tools lock files with hashes; `make lock` remakes them
# after a change to pyproject.toml's dependencies).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# --no-build-isolation: the build backend (hatchling) comes from the lock file too.
EDITABLE := $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .

.PHONY: run test check bench format lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps record what was installed, so a second `make` is instant and a change to a lock
# file reinstalls. The dev lock is a superset of the run lock.
$(VENV)/.run-installed: requirements/run.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/run.txt
	$(EDITABLE)
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(EDITABLE)
	@touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/retrotui demo

# tmux drives the real app in tests/e2e (kill safety, two terminals). Without it those
# tests are skipped with the reason in the summary; CI installs it.
test: $(VENV)/.dev-installed
	@command -v tmux >/dev/null || echo "make test: tmux not found: the real-terminal tests will be skipped (apt-get install tmux)"
	$(BIN)/python -m pytest -q -n auto

check: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py

LOCK := $(BIN)/pip-compile --quiet --generate-hashes --all-build-deps --strip-extras \
	--no-emit-index-url --no-emit-find-links pyproject.toml
lock: $(VENV)/.dev-installed
	$(LOCK) -o requirements/run.txt
	$(LOCK) --extra dev -o requirements/dev.txt

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
