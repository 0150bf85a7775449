"""The one vocabulary of dimension names, and the order arrays leave functions in.

Every labelled array in floors uses these names, in this order (DESIGN.md §2), so that
arithmetic lines up and a reader always knows where to find an axis.
"""

SCENARIO = "scenario"
COUNTRY = "country"
BENEFIT = "benefit"
YEAR = "year"
SEX = "sex"
AGE = "age"
DRAW = "draw"
# Not in DESIGN.md §2: which poverty line (international lines in PPP dollars).
LINE = "line"

ORDER: tuple[str, ...] = (SCENARIO, COUNTRY, BENEFIT, YEAR, SEX, AGE, LINE, DRAW)

SEXES: tuple[str, ...] = ("female", "male")

# WPP's open-ended last age group: 100 stands for "100 and over".
MAX_AGE = 100


def ordered(dims: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Return ``dims`` sorted into the canonical order."""
    unknown = [d for d in dims if d not in ORDER]
    if unknown:
        raise ValueError(f"unknown dimension name(s) {unknown}; known: {ORDER}")
    return tuple(d for d in ORDER if d in dims)
