"""How much work one command may ask for: every size a user controls has a limit, checked first.

A typo (``--to 20300``, ``--draws 1000000000``) or a hostile input must end in a clear
message (exit status 2) before anything is allocated, not in minutes of work, a memory
error or a killed process. Each limit is far above any honest use, and says why it is
where it is. The limits on what one YAML file may hold (size, nesting, aliases) are in
`floors.assumptions.yaml_io`, the one on ``based_on`` chains in `floors.assumptions.scenario`.
"""

from __future__ import annotations

from collections.abc import Sequence

from floors.problems import Problem

# Years: the UN World Population Prospects, the population data floors projects from, run from
# 1950 to 2100; no year outside them can ever be costed (the data bundled today end sooner, which
# the projections report with the exact years).
FIRST_YEAR = 1950
LAST_YEAR = 2100
# Monte Carlo draws: one draw of one country holds about 100 kB of results, so 20,000 draws need
# some 2 GB at once; with --chunk they are costed a chunk at a time, but 100,000 already take about
# three minutes and 2.5 GB (the quantiles keep every draw), and an 80 % interval is stable to a
# hundredth of a percentage point long before.
MAX_DRAWS_AT_ONCE = 20_000
MAX_DRAWS = 100_000
# Draws of several countries (countries × draws): the countries are costed one after another and only
# each one's percentiles are kept, so memory stays that of one country's draws, but the time adds up:
# the 19 bundled countries × 10,000 draws (a stable 80 % interval) take about 30 s and 1 GB at peak;
# 200,000 in all, twice the most one country may have, is far above honest use, and 19 × 100,000
# would take several minutes.
MAX_COUNTRY_DRAWS = 200_000
# A seed is any whole number NumPy's generator takes (non-negative), within 64 bits.
MAX_SEED = 2**64 - 1
# Scenarios in one run or comparison: each is a full costing (a comparison costs up to 16 more per
# scenario to split the change by cause) and a column of every sheet; the presets number a dozen.
MAX_SCENARIOS = 64
# Countries in one run: ISO 3166 lists 249 codes.
MAX_COUNTRIES = 300
# --set options in one command: there are about 110 parameters, and each may be set once.
MAX_SET_OPTIONS = 200


def year_problems(to: int | None, key: str = "--to") -> list[Problem]:
    """A problem when ``to`` is outside `FIRST_YEAR`–`LAST_YEAR` (checked before any year is allocated)."""
    if to is None or FIRST_YEAR <= to <= LAST_YEAR:
        return []
    return [Problem(f"the year {to} is outside {FIRST_YEAR}–{LAST_YEAR}, the years the UN population "
                    f"projections cover", key=key, value=to,
                    hint="give a year such as 2030")]


def draw_problems(draws: int, seed: int, chunk: int | None = None) -> list[Problem]:
    """Problems with the number of draws (0 to `MAX_DRAWS`; at most `MAX_DRAWS_AT_ONCE` without a chunk)
    and the seed (0 to `MAX_SEED`)."""
    problems = []
    if draws < 0:
        problems.append(Problem(f"draws must be 0 or more, not {draws}", key="--draws", value=draws))
    elif draws > MAX_DRAWS:
        problems.append(Problem(f"{draws:,} draws are more than the {MAX_DRAWS:,} floors costs", key="--draws",
                                value=draws, hint="1,000 to 10,000 draws give a stable 80 % interval"))
    elif draws > MAX_DRAWS_AT_ONCE and not chunk:
        problems.append(Problem(f"{draws:,} draws at once would need about {draws // 10_000} GB of memory; floors "
                                f"costs at most {MAX_DRAWS_AT_ONCE:,} at once", key="--draws", value=draws,
                                hint="add --chunk 5000 (chunk=5000 in Python) to cost them 5,000 at a time"))
    if not 0 <= seed <= MAX_SEED:
        problems.append(Problem(f"the seed must be a whole number from 0 to 2**64-1, not {seed}", key="--seed",
                                value=seed, hint="any non-negative number, e.g. --seed 7; the same seed gives the "
                                                 "same draws"))
    return problems


def count_problems(what: str, items: Sequence[object], limit: int, key: str, hint: str) -> list[Problem]:
    """A problem when there are more than ``limit`` ``items`` (scenarios, countries, --set options)."""
    if len(items) <= limit:
        return []
    return [Problem(f"{len(items):,} {what} are more than the {limit} one command takes", key=key, hint=hint)]


def scenario_problems(specs: Sequence[object]) -> list[Problem]:
    """More scenarios than `MAX_SCENARIOS` (each ``a+b`` counts as one)."""
    return count_problems("scenarios", specs, MAX_SCENARIOS, "--scenario",
                          "split them over several runs, or vary one parameter with floors.sweep in Python")


def country_problems(codes: Sequence[str]) -> list[Problem]:
    """More countries than `MAX_COUNTRIES`."""
    return count_problems("countries", codes, MAX_COUNTRIES, "--country",
                          "name each country once, or write --country all")


def country_draw_problems(codes: Sequence[str], draws: int) -> list[Problem]:
    """More than `MAX_COUNTRY_DRAWS` draws over all the countries (countries × draws)."""
    total = len(codes) * draws
    if total <= MAX_COUNTRY_DRAWS or len(codes) < 2:  # one country's draws are limited by draw_problems
        return []
    fewer = MAX_COUNTRY_DRAWS // len(codes)
    return [Problem(f"{len(codes)} countries × {draws:,} draws are {total:,} draws, more than the "
                    f"{MAX_COUNTRY_DRAWS:,} floors costs in one run", key="--draws", value=draws,
                    hint=f"use at most {fewer:,} draws for {len(codes)} countries (1,000 to 10,000 give a stable "
                         "80 % interval), or run the countries in smaller groups")]
