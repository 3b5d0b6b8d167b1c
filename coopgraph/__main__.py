"""`python -m coopgraph`."""

from coopgraph.cli import main

main()
