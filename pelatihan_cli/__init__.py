"""pelatihan: run a city's short job-training programme from one SQLite file."""

__version__ = "0.1.0"
