"""GDP, prices and government finance from the IMF WEO (October 2025).

Years within the WEO data are taken as published (projections included). Past the last
WEO year the ``macro.beyond_weo`` rule applies: ``hold_last_rates`` grows nominal GDP by
the last year's real growth and deflator inflation and the CPI by the last year's CPI
inflation. Government expenditure and revenue shares missing at the end of the WEO data
are held at their last published value. Every such extension is written to the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from floors import dims
from floors.assumptions import yearly_values
from floors.problems import InputError, Problem


@dataclass
class Macro:
    gdp: xr.DataArray  # nominal, local currency per year
    gdp_real_growth: xr.DataArray  # share
    gdp_deflator: xr.DataArray  # index
    cpi: xr.DataArray  # index, period average
    gg_expenditure_share: xr.DataArray  # share of GDP
    gg_revenue_share: xr.DataArray  # share of GDP
    usd_rate: xr.DataArray  # 0-d: local currency per US dollar in the first projection year (GDP in LCU / in USD)
    cpi_all_years: pd.Series  # every WEO year (history included) and any extension, for pricing past dates
    notes: list[str] = field(default_factory=list)


def _series(data: xr.Dataset, column: str) -> pd.Series:
    return data[column].to_series().dropna().sort_index()


def _as_array(values: pd.Series, years: np.ndarray, name: str, units: str) -> xr.DataArray:
    return xr.DataArray(values.reindex(years).to_numpy(), coords={dims.YEAR: years}, dims=[dims.YEAR],
                        name=name, attrs={"units": units})


def _extend_growth(level: pd.Series, rate: float, years: np.ndarray) -> pd.Series:
    """Continue ``level`` past its last year at a constant growth ``rate``."""
    last = int(level.index.max())
    extra = {y: level[last] * (1 + rate) ** (y - last) for y in years if y > last}
    return pd.concat([level, pd.Series(extra, dtype=float)]) if extra else level


def _usd_rate(gdp: xr.Dataset, iso3: str, year: int, notes: list[str]) -> xr.DataArray:
    """Local currency per US dollar: GDP in local currency over GDP in USD in ``year`` (0-d, with attrs).

    Where the WEO has no USD GDP for that year (PAK after 2025), the latest earlier year
    with both values is used and a note says so; a later year is never used.
    """
    rates = (_series(gdp, "gdp_lcu") / _series(gdp, "gdp_usd")).dropna()
    earlier = rates[rates.index <= year]
    if earlier.empty:
        raise InputError([Problem(f"no GDP in US dollars for {iso3} in or before {year} (IMF WEO)",
                                  file=gdp.attrs["file"], key="macro.base_year", value=year,
                                  hint="choose a later base year; the exchange rate is WEO GDP in "
                                       "local currency over GDP in USD")])
    used = int(earlier.index.max())
    if used != year:
        notes.append(f"{iso3}: the IMF WEO has no GDP in US dollars for {year}; the exchange rate "
                     f"({float(earlier[used]):,.4g} per USD) is that of {used}")
    return xr.DataArray(float(earlier[used]), name="usd_rate",
                        attrs={"units": "local currency per USD",
                               "description": f"local currency per US dollar (GDP in local currency / GDP in USD, "
                                              f"{used})",
                               "source": gdp.attrs["source"], "vintage": gdp.attrs["vintage"]})


def _with_growth(gdp: pd.Series, deflator: pd.Series, growth: pd.Series, years: np.ndarray) -> pd.Series:
    """Nominal GDP rebuilt from the first year with real ``growth`` and the deflator's inflation."""
    out = gdp.copy()
    for year in years[1:]:
        out[year] = out[year - 1] * (1 + growth[year]) * deflator[year] / deflator[year - 1]
    return out


def project_macro(weo: xr.Dataset, finance: xr.Dataset, iso3: str, years: np.ndarray, beyond_weo: str,
                  real_growth: object = None) -> Macro:
    """GDP, prices and government finance; ``real_growth`` (a share, or values by year) replaces
    the WEO's real growth after the first year: a macroeconomic scenario.

    ``weo``: `floors.inputs.series.gdp`; ``finance``: `floors.inputs.series.government_finance`.
    """
    notes: list[str] = []
    gdp = _series(weo, "gdp_lcu")
    first, last = int(gdp.index.min()), int(gdp.index.max())
    problems = []
    if years.min() < first:
        problems.append(Problem(f"no GDP data for {iso3} before {first} (IMF WEO)", key="macro.base_year",
                                value=int(years.min()), hint=f"choose a base year from {first}"))
    if years.max() > last and beyond_weo == "error":
        problems.append(Problem(f"the IMF WEO data for {iso3} end in {last}", key="--to / macro.horizon",
                                value=int(years.max()),
                                hint="choose an earlier horizon, or set macro.beyond_weo=hold_last_rates"))
    if problems:
        raise InputError(problems)

    growth = _series(weo, "real_gdp_growth_pct") / 100
    deflator = _series(weo, "deflator")
    cpi = _series(weo, "cpi_index")
    if years.max() > last:
        g = float(growth[last])
        deflation = float(deflator[last] / deflator[last - 1] - 1)
        cpi_rate = float(cpi[last] / cpi[last - 1] - 1)
        gdp = _extend_growth(gdp, (1 + g) * (1 + deflation) - 1, years)
        deflator = _extend_growth(deflator, deflation, years)
        cpi = _extend_growth(cpi, cpi_rate, years)
        growth = pd.concat([growth, pd.Series({y: g for y in years if y > last})])
        notes.append(
            f"{iso3}: IMF WEO data end in {last}; {last + 1}–{int(years.max())} extended with real growth "
            f"{g:.2%}, deflator inflation {deflation:.2%} and CPI inflation {cpi_rate:.2%} of {last} "
            f"(macro.beyond_weo = hold_last_rates)"
        )

    if real_growth is not None:
        scenario = pd.Series(yearly_values(real_growth, years), index=years)
        gdp = _with_growth(gdp, deflator, scenario, years)
        growth = pd.concat([growth[growth.index <= years[0]], scenario[scenario.index > years[0]]])
        notes.append(f"{iso3}: real GDP growth set by macro.real_gdp_growth for {years[0] + 1}–{int(years.max())} "
                     f"(a scenario, not the IMF WEO); nominal GDP rebuilt with the WEO deflator")

    shares = {}
    for column, label in (("gg_expenditure_pct_gdp", "expenditure"), ("gg_revenue_pct_gdp", "revenue")):
        series = _series(finance, column) / 100
        if series.empty:
            raise InputError([Problem(f"no general government {label} for {iso3} in the IMF WEO data",
                                      file=finance.attrs["file"], key=column)])
        end = int(series.index.max())
        if years.max() > end:
            held = pd.Series({y: series[end] for y in years if y > end})
            series = pd.concat([series, held])
            notes.append(f"{iso3}: general government {label} ({series[end]:.1%} of GDP) held at its {end} "
                         f"value for {end + 1}–{int(years.max())}: the IMF WEO publishes no later value")
        shares[label] = series

    macro = Macro(
        gdp=_as_array(gdp, years, "gdp", "local currency per year"),
        gdp_real_growth=_as_array(growth, years, "gdp_real_growth", "share per year"),
        gdp_deflator=_as_array(deflator, years, "gdp_deflator", "index"),
        cpi=_as_array(cpi, years, "cpi", "index (period average)"),
        gg_expenditure_share=_as_array(shares["expenditure"], years, "gg_expenditure_share", "share of GDP"),
        gg_revenue_share=_as_array(shares["revenue"], years, "gg_revenue_share", "share of GDP"),
        cpi_all_years=cpi,
        usd_rate=_usd_rate(weo, iso3, int(years[0]), notes),
        notes=notes,
    )
    for array in (macro.gdp, macro.gdp_deflator, macro.cpi, macro.gdp_real_growth):
        array.attrs.update(source=weo.attrs["source"], vintage=weo.attrs["vintage"])
    for array in (macro.gg_expenditure_share, macro.gg_revenue_share):
        array.attrs.update(source=finance.attrs["source"], vintage=finance.attrs["vintage"])
    return macro


def cpi_of_year(macro: Macro, weo: xr.Dataset, year: int) -> xr.DataArray:
    """The CPI (annual average) of ``year`` (0-d, with attrs): the price level of a year's amounts, e.g. 2017
    for the international poverty lines in 2017 PPP dollars."""
    return xr.DataArray(float(macro.cpi_all_years[year]), name=f"cpi_{year}",
                        attrs={"units": "index (period average)",
                               "description": f"CPI (annual average) in {year}",
                               "source": weo.attrs["source"], "vintage": weo.attrs["vintage"]})


def cpi_at(cpi: pd.Series, decimal_year: float) -> float:
    """CPI at a point in time, from annual averages taken to stand at mid-year (log-linear)."""
    centres = cpi.index.to_numpy(dtype=float) + 0.5
    return float(np.exp(np.interp(decimal_year, centres, np.log(cpi.to_numpy(dtype=float)))))
