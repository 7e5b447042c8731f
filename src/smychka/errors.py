"""Errors raised on bad user input.

Everything a user can get wrong (a scenario key, a lever date, a CLI value) raises
`InputError` with one line naming the offending key path and what would be valid. The CLI
turns it into that line on stderr and exit code 2, never a traceback.
"""


class InputError(ValueError):
    """Bad user input: the message names the key path and what would be valid."""

    def __init__(self, key: str, problem: str, valid: str | None = None):
        self.key = key
        self.problem = problem
        self.valid = valid
        msg = f"{key}: {problem}" if key else problem
        if valid:
            msg += f" (valid: {valid})"
        super().__init__(msg)

    def __reduce__(self):
        # rebuilt from its parts (an error raised in a worker process travels pickled)
        return type(self), (self.key, self.problem, self.valid)
