"""floors: cost social protection floors, benefit by benefit, as a share of GDP to 2030."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("floors")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
