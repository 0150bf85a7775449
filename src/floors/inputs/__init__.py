"""Read the bundled tidy data (assumptions/data/) into labelled arrays, one country at a time.

`series` has one function per kind of input (table → `xarray` object with units, source and
vintage); `load_country` gathers a country's, read on first use.
"""

from floors.inputs import series
from floors.inputs.bundle import Bundle, Country
from floors.inputs.country import CountryInputs, load_country
from floors.inputs.tables import Card, read_table

__all__ = ["Bundle", "Card", "Country", "CountryInputs", "load_country", "read_table", "series"]
