"""The record of how the catalogue in this database was built (`manage.py build_catalogue`).

An app of its own, beside the catalogue: a build is not a catalogue record
that editors curate, and it lives in the database it describes, so that a
database emptied or replaced is rebuilt however it is hosted (a file beside
an SQLite database would outlive a PostgreSQL database it knows nothing of).
"""
