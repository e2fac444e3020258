# The two commands an operator needs on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= out/demo.db
PELATIHAN := $(BIN)/pelatihan --db $(DEMO_DB)

.PHONY: demo test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Non-editable install: proves the wheel carries data/ and the fonts.
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"

demo: install
	@mkdir -p out
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@echo "== 1. A new database with the 27 kelurahan of Kota Pekalongan"
	$(PELATIHAN) init --pekalongan
	$(PELATIHAN) kelurahan list
	@echo "== 2. Instructors, and the whole 2024 programme planned automatically"
	$(PELATIHAN) instructor import data/instructors_2024.csv
	$(PELATIHAN) session auto-plan --from 2024-07-01 --to 2024-08-27 --requests data/programme_2024.csv --max-per-day 2 --venue "Aula Kelurahan {kelurahan}" --format json > /dev/null
	$(PELATIHAN) session list
	$(PELATIHAN) report schedule --from 2024-07-01 --to 2024-08-31
	@echo "== 3. The participant lists sent by the kelurahan offices"
	$(PELATIHAN) participant import data/sample_participants.csv
	$(PELATIHAN) kelurahan list
	@echo "== 4. The morning of 2 July 2024: the day's rosters (daftar hadir)"
	$(PELATIHAN) roster 2024-07-02
	$(PELATIHAN) roster 2024-07-02 --format pdf --output out/roster-2024-07-02.pdf
	@echo "Roster PDF written to out/roster-2024-07-02.pdf"
	@echo "== 5. After the training: attendance of session 1 (both days), its certificates, the summary"
	$(PELATIHAN) attendance mark 1 --day 1 --all
	$(PELATIHAN) attendance mark 1 --day 2 --all
	$(PELATIHAN) report certificates 1
	$(PELATIHAN) report summary
	@echo "== 6. Operations: a checked backup, a masked export, the audit log"
	$(PELATIHAN) backup out/demo-backup.db --force
	$(PELATIHAN) export --format xlsx --output out/programme.xlsx --force
	$(PELATIHAN) log --limit 5
	@echo "Demo database: $(DEMO_DB); roster PDF: out/roster-2024-07-02.pdf; export: out/programme.xlsx"

test: install-test
	$(BIN)/python -m pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) out build *.egg-info
