"""coopgraph: a knowledge graph of bilateral cooperation."""


def __getattr__(name: str):
    """`coopgraph.__version__`, read from the installed metadata only when asked for."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("coopgraph")
        except PackageNotFoundError:  # a checkout that was never installed
            return "0+unknown"
    raise AttributeError(name)
