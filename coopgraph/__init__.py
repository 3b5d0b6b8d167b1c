"""coopgraph: a knowledge graph of bilateral cooperation."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coopgraph")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"
