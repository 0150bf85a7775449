"""The costing engine: run the benefit modules for one country and many scenarios at once.

`cost_floor` returns one `xarray.Dataset` with dimensions (scenario, country, benefit,
year) for the headline variables (and sex, age for beneficiaries in detail), a
``total`` benefit under the declared overlap rule (``floor.overlap``), and fiscal
indicators: cost as a share of GDP, of general government expenditure and of revenue.
The arithmetic runs on plain arrays, labelled once at the end; every array's years and
scenarios are checked on the way in (as exact alignment did), so a missing year raises
instead of vanishing from a total.

The engine itself is `costing`; beside it are the parameter adjustments applied as arrays
(`adjustments`), the fiscal-space measures (`fiscal_space`), the decomposition of a change
between scenarios (`compare`) and the chunked runs for very many scenarios (`chunked`).
"""

from floors.engine.costing import Costing, cost_floor, costing

__all__ = ["Costing", "cost_floor", "costing"]
