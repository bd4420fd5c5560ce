"""Running a store: checking that the files and the graph agree (verify), clearing what dead
publishes left (gc), and moving stores between backends (export, import, digest).

Each operation is a module here; the CLI commands are in legos/cli/operations.py.
"""
