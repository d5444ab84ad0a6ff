"""The subcommands of `delivery-report` that have no module of their own elsewhere (cli.py lists them all).

Each module's `main(argv, prog)` reads its command line, runs, prints and returns the exit code; like
cli.py, only these modules print and exit. They sit at the top of the stages and nothing below imports them.
"""
