"""The what-if template: every parameter of a country in a workbook, to fill in and read back.

`write_template` writes the effective parameters (after the default → country → scenario
layers) to an Excel workbook:

* ``what-if``   one row per parameter: its dotted name, description, unit, baseline
                value, an empty "new value" column for the user, the allowed values and
                the source of the baseline value;
* ``scenario``  title (required), description, author, the scenario the template was
                made from (``based_on``) and the country;
* ``README``    how to fill it in and run it.

`read_template` turns a filled template into the same `ScenarioInfo` a YAML scenario
file gives (its ``changes`` hold only the cells the user filled), so that layering,
``based_on`` and composition with ``+`` are shared. Each new value is read by its
parameter's kind (a number, a share, a choice, true/false, text, values by year such as
``2025: 0.5; 2030: 1``) and checked with `check_value`; every bad cell is a `Problem`
that names the sheet and cell (``what-if!E23 (children.level)``).

The package is split by direction: `layout` (the sheets and columns both sides agree on, and
how a parameter's values are shown), `write` (`write_template`, `build_template`) and `read`
(`read_template`). Scenario loading imports `read` and writing needs the loaded parameters,
so this file imports neither: import from the module you need.
"""
