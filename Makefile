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

# The demo runs two programme years in one database. PELATIHAN_TODAY sets the tool's
# "today" for each step, as an operator's laptop clock would be on that day.
AT = PELATIHAN_TODAY

demo: install
	@# a fresh start: the demo's database and every file it writes (output files are never overwritten silently)
	@rm -rf out
	@mkdir -p out
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@echo "== 1. A new database with the 27 kelurahan of Kota Pekalongan, and the instructors"
	$(PELATIHAN) init --pekalongan
	$(PELATIHAN) instructor import data/instructors_2024.csv
	@echo "== 2. June 2024: the 2024 programme planned automatically (its programme is created for the year)"
	$(AT)=2024-06-03 $(PELATIHAN) session auto-plan --from 2024-07-01 --to 2024-08-27 --requests data/programme_2024.csv --max-per-day 2 --venue "Aula Kelurahan {kelurahan}" --format json > /dev/null
	$(AT)=2024-06-03 $(PELATIHAN) programme list
	$(AT)=2024-06-03 $(PELATIHAN) session list --kelurahan Medono
	$(AT)=2024-06-03 $(PELATIHAN) report schedule --from 2024-07-01 --to 2024-07-05
	@echo "== 3. The participant lists sent by the kelurahan offices"
	$(AT)=2024-06-17 $(PELATIHAN) participant import data/sample_participants.csv
	@echo "== 4. The morning of 2 July 2024: the day's rosters (daftar hadir)"
	$(AT)=2024-07-02 $(PELATIHAN) roster 2024-07-02 --session 1
	$(AT)=2024-07-02 $(PELATIHAN) roster 2024-07-02 --format pdf --output out/roster-2024-07-02.pdf
	@echo "== 5. After the training: attendance of session 1 (both days), its certificates"
	$(AT)=2024-07-02 $(PELATIHAN) attendance mark 1 --day 1 --all
	$(AT)=2024-07-02 $(PELATIHAN) attendance mark 1 --day 2 --all
	$(AT)=2024-07-03 $(PELATIHAN) report certificates 1
	@echo "== 6. June 2025: the 2025 programme in the same database (2024 sessions are done)"
	$(AT)=2025-06-02 $(PELATIHAN) session auto-plan --from 2025-07-01 --to 2025-08-29 --requests data/programme_2025.csv --max-per-day 2 --venue "Aula Kelurahan {kelurahan}" --format json > /dev/null
	$(AT)=2025-06-02 $(PELATIHAN) programme list
	$(AT)=2025-06-16 $(PELATIHAN) participant import data/participants_2025.csv
	$(AT)=2025-07-01 $(PELATIHAN) roster 2025-07-01 --format pdf --output out/roster-2025-07-01.pdf
	$(AT)=2025-07-01 $(PELATIHAN) attendance mark 55 --day 1 --all
	$(AT)=2025-07-02 $(PELATIHAN) attendance mark 55 --day 2 --all
	@echo "== 7. Both summaries: each programme's own sessions, people counted once"
	$(AT)=2025-09-01 $(PELATIHAN) report summary --all-programmes
	@echo "== 8. Operations: a checked backup, a masked export, the audit log"
	$(PELATIHAN) backup out/demo-backup.db --force
	$(PELATIHAN) export --format xlsx --output out/programme.xlsx --force
	$(PELATIHAN) log --limit 5
	@echo "== 9. After the training: certificates of session 1, the tracer study, the outcomes"
	$(AT)=2024-07-03 $(PELATIHAN) participant update 3375991409980001 --birth-place Pekalongan --work-status "belum bekerja"
	$(AT)=2024-07-03 $(PELATIHAN) certificate issue 1
	$(AT)=2024-07-03 $(PELATIHAN) certificate print 1 --output out/sertifikat-sesi-1.pdf --force
	$(AT)=2024-10-03 $(PELATIHAN) followup due --months 3 --programme 2024 --format xlsx --output out/tracer-2024.xlsx --force
	$(AT)=2025-02-03 $(PELATIHAN) followup import data/followup_2024.csv
	$(AT)=2025-02-03 $(PELATIHAN) report outcomes --programme 2024
	$(AT)=2025-02-03 $(PELATIHAN) report outcomes --programme 2024 --format xlsx --output out/outcomes-2024.xlsx --force
	@echo "== 10. The money of 2024 (ILLUSTRATIVE rates in data/budget_2024.csv): budget, a transport receipt list, the realisation"
	$(AT)=2024-06-03 $(PELATIHAN) budget set --programme 2024 --file data/budget_2024.csv --format json > /dev/null
	$(AT)=2024-07-03 $(PELATIHAN) receipt transport 1 --day 1 --output out/transport-sesi-1-hari-1.pdf --force
	$(AT)=2024-07-03 $(PELATIHAN) receipt realisation --programme 2024 --output out/realisasi-2024.pdf --force
	$(AT)=2024-07-03 $(PELATIHAN) report budget --programme 2024
	@echo "Money: out/transport-sesi-1-hari-1.pdf (frozen as version 1), out/realisasi-2024.pdf"
	@echo "Demo database: $(DEMO_DB); rosters: out/roster-2024-07-02.pdf (Tahun 2024), out/roster-2025-07-01.pdf (Tahun 2025); export: out/programme.xlsx; certificates: out/sertifikat-sesi-1.pdf; outcomes: out/outcomes-2024.xlsx"

test: install-test
	$(BIN)/python -m pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) out build *.egg-info
