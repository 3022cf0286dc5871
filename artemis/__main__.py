"""`python -m artemis` is the `artemis` command."""

from artemis.cli import main

main()
