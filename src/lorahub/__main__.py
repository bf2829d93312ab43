"""Run the lorahub command line as ``python -m lorahub``."""

from lorahub.cli.app import main

main()
