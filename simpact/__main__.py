"""``python -m simpact`` runs the command line."""

from simpact.cli import main

main()
