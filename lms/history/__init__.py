"""The import of past years: the academy's spreadsheets from 2016 on (API.md, "Import of
past years"). reading.py reads the file, service.py checks and applies it, jobs.py runs
it in the background for the admin page, cli.py is `flask history import`."""
