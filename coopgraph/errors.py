"""The errors a user can cause, one class per kind, each with its exit code.

Exit codes: 0 ok, 1 the data violates the ontology (SHACL), 2 bad input or
usage, 3 database unreachable or refused.
"""


class CoopgraphError(Exception):
    """Root of every error meant for the user: `location: problem`, no traceback."""

    exit_code = 2

    def __init__(self, location: str, problem: str):
        super().__init__(f"{location}: {problem}")
        self.location = location
        self.problem = problem


class InputError(CoopgraphError):
    """A source file is malformed or says something impossible."""

    def __init__(self, file: str, line: int | None, problem: str, field: str | None = None):
        location = f"{file}:{line}" if line else str(file)
        if field:
            problem = f"field '{field}': {problem}"
        super().__init__(location, problem)
        self.file, self.line, self.field = str(file), line, field


class UnknownNameError(CoopgraphError):
    """A name on the command line matches no entity; suggests the closest."""


class AmbiguousNameError(CoopgraphError):
    """A name matches several entities; lists them."""


class UsageError(CoopgraphError):
    """An option or parameter is wrong (unknown question, bad format, update query)."""


class ValidationFailed(CoopgraphError):
    """The graph violates the SHACL shapes; carries the violations."""

    exit_code = 1

    def __init__(self, location: str, violations: list):
        super().__init__(location, f"{len(violations)} SHACL violation(s)")
        self.violations = violations


class DatabaseError(CoopgraphError):
    """The database is unreachable, refused the credentials, or failed mid-way."""

    exit_code = 3
