"""The ``lorahub`` command line."""
