"""floors: cost social protection floors, benefit by benefit, as a share of GDP to 2030.

    >>> import floors
    >>> result = floors.run("KEN", ["ilo-ess58"])
    >>> result.table()          # shares of GDP, benefits × years

`run`, `compare`, `sensitivity`, `sweep`, `Result`, `Comparison` and `Sensitivity` are in
`floors.api` (imported when first used, so that ``floors --version`` stays quick);
`InputError` lists every problem of a bad input. The guide is docs/python.md.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("floors")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["Comparison", "InputError", "Result", "Sensitivity", "__version__", "compare", "run", "sensitivity",
           "sweep"]


def __getattr__(name: str):
    if name in ("run", "compare", "sensitivity", "sweep", "Result", "Comparison", "Sensitivity"):
        from floors import api

        return getattr(api, name)
    if name == "InputError":
        from floors.problems import InputError

        return InputError
    raise AttributeError(f"module 'floors' has no attribute {name!r}")
