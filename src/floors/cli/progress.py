"""Progress on stderr while long work runs, drawn with rich; nothing at all when stderr is not a terminal.

The library reports progress through plain callbacks (``progress=`` of `floors.run`,
`floors.compare`, `floors.sensitivity`, `floors.solve.solve_budget`); this module turns
them into a spinner, or a bar when the number of steps is known. The display is transient
(it is erased when the work is done), so a terminal keeps only the results; a pipe, a file
or a test sees no progress at all, not even escape codes.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from typing import Any

Advance = Callable[[str], None]  # called with what was just done


def interactive() -> bool:
    """Whether stderr is a terminal a person watches (rich's own test could be forced by FORCE_COLOR)."""
    stream = sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def _nothing(what: str = "") -> None:
    """Progress nobody sees."""


@contextlib.contextmanager
def _display(description: str, total: int | None, bar: bool) -> Iterator[tuple[Any, Any]]:
    """A transient rich display on stderr: (the Progress, its task)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if bar:
        columns += [BarColumn(), MofNCompleteColumn()]
    columns += [TimeElapsedColumn(), TextColumn("[dim]{task.fields[step]}")]
    with Progress(*columns, console=Console(stderr=True), transient=True) as shown:
        yield shown, shown.add_task(description, total=total, step="")


@contextlib.contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Advance]:
    """A spinner (or, given ``total``, a bar counting steps) labelled ``description``, on stderr.

    Yields ``advance(what)``: call it after each step; ``what`` is shown beside the label.
    """
    if not interactive():
        yield _nothing
        return
    with _display(description, total, bar=total is not None) as (shown, task):

        def advance(what: str = "") -> None:
            shown.update(task, advance=1 if total is not None else 0, step=what)

        yield advance


@contextlib.contextmanager
def dask_progress(description: str) -> Iterator[None]:
    """A bar over the tasks dask computes (chunked draws), drawn like the others; nothing when not a terminal."""
    if not interactive():
        yield
        return
    from dask.callbacks import Callback

    with _display(description, None, bar=True) as (shown, task):

        class Tasks(Callback):  # dask's hooks: the size of the graph, then one call per task done
            def _start_state(self, dsk, state):
                done = len(state["finished"])
                shown.update(task, total=done + sum(len(state[k]) for k in ("ready", "waiting", "running")),
                             completed=done)

            def _posttask(self, key, result, dsk, state, worker_id):
                shown.update(task, completed=len(state["finished"]))

        with Tasks():
            yield


def shows_progress(description: str) -> Callable[[Callable], Callable]:
    """A spinner while a whole command runs (for commands whose steps report nothing finer)."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            with progress(description):
                return command(*args, **kwargs)

        return wrapper

    return decorate
