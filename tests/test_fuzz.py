"""Fuzzing the command line's contract with generated input (hypothesis).

Assumption files, scenario files and ``--set`` values are generated within the schema
(real parameters, plausible values) and beyond it (NaN, infinities, huge numbers,
control characters, deep nesting, aliases, tags, broken YAML). Whatever comes, ``floors
validate`` and ``floors run`` must end with exit status 0 or 2, never 1 (an internal
error); print no traceback; stay within a time and a memory bound; and leave earlier
results intact (a failed run writes nothing, a successful one leaves no temporary).

Bounded for CI: a fixed number of examples, derandomised (the same examples on every
run), each in the test's own process (the caches warm), under a timer and an address-space
limit.
"""

from __future__ import annotations

import json
import resource
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floors.assumptions import assumptions_root
from floors.cli import main

SECONDS_PER_EXAMPLE = 60  # a warm validate takes under a second; a hang or a runaway allocation far more
EXTRA_MEMORY = 3 * 2**30  # bytes beyond what the process holds when the example starts
PARAMETERS = ["children.level", "children.take_up", "children.targeting", "children.poverty_ratio",
              "children.age_max", "old_age.pensionable_age", "macro.horizon", "macro.base_year",
              "demography.interval_position", "floor.warn_total_above", "unemployment.include"]
SECTIONS = ["children", "old_age", "macro", "labour", "coverage", "poverty"]

# Raw text beyond the schema, as a careless or hostile user might write it.
RAW = ["[" * 3000 + "]" * 3000, "a: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", "!!python/object:os.system x",
       "{a: b", "\t- x", "!!binary aGk=", "15%", "80 %", ".nan", "-.inf", "1e309", "{2025: 0.5, 2030: .nan}",
       "yes", "2025-01-01", "\"\\x07bell\"", "~", "[]", "{}", "{value: 0.3, uncertainty: {low: .nan, high: 1}}",
       "{value: 0.3, uncertainty: {low: 0, high: .inf, distribution: normal80, reason: r}}", "99999999999999999999",
       "-1", "0", "{value: 0.5, source: {title: \"a\\x0cb\"}}", "\ufeff0.5", "0.5\r\n"]

scalars = (st.none() | st.booleans() | st.integers(min_value=-(10**20), max_value=10**20)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
           | st.sampled_from(["universal", "poverty_targeted", "15%", "0.5", "2030"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8) | st.integers(2020, 2040), inner, max_size=3),
                      max_leaves=8)


def as_yaml(value: object) -> str:
    """JSON is YAML; a NaN or an infinity becomes YAML's own spelling."""
    return json.dumps(value, default=str).replace("NaN", ".nan").replace("-Infinity", "-.inf").replace(
        "Infinity", ".inf")


yaml_text = values.map(as_yaml) | st.sampled_from(RAW)
set_options = st.lists(st.tuples(st.sampled_from(PARAMETERS) | st.text(max_size=10), yaml_text)
                       .map(lambda pair: f"{pair[0]}={pair[1]}"), max_size=3)
scenario_files = st.one_of(
    st.fixed_dictionaries({"title": st.text(max_size=20) | st.sampled_from(["", "Fuzz", "Child \x07 bell"]),
                           "changes": st.dictionaries(st.sampled_from(PARAMETERS) | st.text(max_size=10), values,
                                                      max_size=4)},
                          optional={"based_on": st.sampled_from(["only-children", "fuzz", "../x", ""]),
                                    "description": st.text(max_size=20)}).map(as_yaml),
    yaml_text,
)
country_files = st.tuples(st.sampled_from(SECTIONS), st.dictionaries(
    st.sampled_from([p.split(".")[1] for p in PARAMETERS]) | st.text(max_size=8),
    values | st.fixed_dictionaries({"value": values, "source": st.fixed_dictionaries({"title": st.text(max_size=8)})}),
    max_size=3).map(as_yaml) | yaml_text)


class TookTooLong(BaseException):  # not an Exception: the command's own handler must not turn it into exit 1
    pass


@contextmanager
def bounded() -> Iterator[None]:
    """A timer and an address-space limit around one example."""
    def stop(signum, frame):
        raise TookTooLong(f"an example ran longer than {SECONDS_PER_EXAMPLE} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    limit = used + EXTRA_MEMORY if hard == resource.RLIM_INFINITY else min(hard, used + EXTRA_MEMORY)
    previous = signal.signal(signal.SIGALRM, stop)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_EXAMPLE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="module")
def fuzz_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "assumptions"
    source = assumptions_root()
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("data"))
    (root / "data").symlink_to(source / "data", target_is_directory=True)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the process size from /proc")
@settings(max_examples=24, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(command=st.sampled_from(["validate", "run"]), sets=set_options,
       scenario=st.none() | scenario_files, country_file=st.none() | country_files)
def test_any_input_ends_in_results_or_a_clear_refusal(fuzz_tree, tmp_path_factory, command, sets, scenario,
                                                      country_file):
    scenarios, written = fuzz_tree / "ECU" / "scenarios", []
    args = [command, "--assumptions", str(fuzz_tree)]
    if scenario is not None:
        (scenarios / "fuzz.yaml").write_text(scenario, encoding="utf-8", errors="surrogatepass")
        args += ["-s", "fuzz"]
        written.append(scenarios / "fuzz.yaml")
    country_path = None
    if country_file is not None:
        section, text = country_file
        country_path = fuzz_tree / "ECU" / f"{section}.yaml"
        original = country_path.read_bytes() if country_path.exists() else None
        country_path.write_text(text, encoding="utf-8", errors="surrogatepass")
    for option in sets:
        args += ["--set", option]
    out = tmp_path_factory.mktemp("out")
    earlier = out / "earlier" / "floors-earlier.csv"  # a result of another run, which no run may touch
    earlier.parent.mkdir()
    earlier.write_text("scenario,country\nbaseline,ECU\n", encoding="utf-8")
    if command == "run":
        args += ["--out", str(out), "--format", "csv"]
    before = snapshot(out)
    try:
        with bounded():
            result = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        for path in written:
            path.unlink(missing_ok=True)
        if country_path is not None:
            if original is None:
                country_path.unlink(missing_ok=True)
            else:
                country_path.write_bytes(original)

    output = result.output
    assert result.exit_code in (0, 2), f"{args}\n{output}"
    assert "Traceback" not in output and "internal error" not in output, output
    after = snapshot(out)
    assert after["earlier/floors-earlier.csv"] == before["earlier/floors-earlier.csv"]
    assert not [name for name in after if name.endswith(".tmp")], after.keys()
    if result.exit_code != 0:
        assert after == before, f"a refused {command} wrote {sorted(set(after) - set(before))}"
