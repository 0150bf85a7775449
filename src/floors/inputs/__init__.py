"""Read the bundled tidy data (assumptions/data/) into labelled arrays, one country at a time."""

from floors.inputs.bundle import Bundle, Country
from floors.inputs.tables import Card, read_table

__all__ = ["Bundle", "Card", "Country", "read_table"]
