"""What a gen module returns: a figure, a table or a set of numbers for the prose.

Every generated piece of the site is described by one of these dataclasses. Modules build
them (``gen/<page>/fig_<name>.py`` -> :class:`FigureSpec`, ``tab_<name>.py`` -> :class:`TableSpec`,
``num_<name>.py`` -> :class:`NumbersSpec`); ``python -m gen`` writes them to
``docs/generated/``. Validation happens here, at construction, so a bad module fails loudly
with a ValueError naming the problem instead of producing a half-rendered page.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

#: Figure and table ids are stable URL anchors: kebab-case with a kind prefix.
FIGURE_ID = re.compile(r"^fig-[a-z0-9]+(?:-[a-z0-9]+)*$")
TABLE_ID = re.compile(r"^tab-[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Number names inside a module (the writer prefixes the module's namespace: "hero.<name>").
NUMBER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_numbers(owner: str, numbers: Mapping[str, str]) -> dict[str, str]:
    checked = {}
    for name, value in numbers.items():
        if not isinstance(name, str) or not NUMBER_NAME.match(name):
            raise ValueError(f"{owner}: number name {name!r} must match {NUMBER_NAME.pattern}")
        if not isinstance(value, str) or not value.strip():
            raise ValueError(
                f"{owner}: number {name!r} must be a non-empty formatted string, got {value!r}"
            )
        checked[name] = value
    return checked


def _check_text(owner: str, what: str, text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{owner}: {what} must be a non-empty string")


@dataclass(frozen=True)
class FigureSpec:
    """One interactive figure and everything the page shows around it.

    Attributes:
        id: stable anchor, ``fig-<name>`` (kebab-case); the include is ``<figure id=id>``.
        figure: the Plotly figure. Its ``layout.height`` (default 480) sizes the placeholder.
        caption: plain text that makes the figure's argument (HTML-escaped when written).
        alt: the text alternative: what the figure shows, with its key numbers.
        data: the data behind the figure, offered as a download. Always written as JSON;
            also as CSV when it is a table (every value a list of scalars, all the same length).
        numbers: formatted numbers quoted in prose, short names (the writer namespaces them).
        title: a short name for the figure, used to label its controls for screen readers.
    """

    id: str
    figure: go.Figure
    caption: str
    alt: str
    data: Mapping[str, Any]
    numbers: Mapping[str, str] = field(default_factory=dict)
    title: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not FIGURE_ID.match(self.id):
            raise ValueError(f"figure id {self.id!r} must match {FIGURE_ID.pattern}")
        if not isinstance(self.figure, go.Figure):
            raise ValueError(f"{self.id}: figure must be a plotly.graph_objects.Figure")
        _check_text(self.id, "caption", self.caption)
        _check_text(self.id, "alt", self.alt)
        if not isinstance(self.data, Mapping) or not self.data:
            raise ValueError(f"{self.id}: data must be a non-empty mapping (the download)")
        object.__setattr__(self, "numbers", _check_numbers(self.id, self.numbers))

    @property
    def height(self) -> int:
        """Placeholder height in CSS pixels (the figure's layout.height, default 480)."""
        height = self.figure.layout.height
        return int(height) if height else 480

    @property
    def is_tabular(self) -> bool:
        """True when ``data`` is columns of scalars of equal length (then a CSV is written)."""
        lengths = set()
        for column in self.data.values():
            if isinstance(column, (str, bytes)) or not isinstance(column, Sequence):
                return False
            if any(isinstance(v, (list, tuple, dict)) for v in column):
                return False
            lengths.add(len(column))
        return len(lengths) == 1


@dataclass(frozen=True)
class TableSpec:
    """A generated Markdown table (``docs/generated/tables/<id>.md``) and its numbers."""

    id: str
    markdown: str
    numbers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not TABLE_ID.match(self.id):
            raise ValueError(f"table id {self.id!r} must match {TABLE_ID.pattern}")
        _check_text(self.id, "markdown", self.markdown)
        object.__setattr__(self, "numbers", _check_numbers(self.id, self.numbers))


@dataclass(frozen=True)
class NumbersSpec:
    """Numbers for the prose that belong to no figure or table."""

    numbers: Mapping[str, str]

    def __post_init__(self) -> None:
        if not self.numbers:
            raise ValueError("NumbersSpec: numbers must not be empty")
        object.__setattr__(self, "numbers", _check_numbers("numbers", self.numbers))


#: Data file ids (docs/generated/data/<id>.json): kebab-case.
DATA_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class DataSpec:
    """A JSON data file that site scripts load (e.g. the Playground's tuned rates), written
    unrounded to ``docs/generated/data/<id>.json`` (modules ``gen/<page>/data_<name>.py``)."""

    id: str
    data: Mapping[str, Any]
    numbers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not DATA_ID.match(self.id):
            raise ValueError(f"data id {self.id!r} must match {DATA_ID.pattern}")
        if not isinstance(self.data, Mapping) or not self.data:
            raise ValueError(f"{self.id}: data must be a non-empty mapping")
        object.__setattr__(self, "numbers", _check_numbers(self.id, self.numbers))


Spec = FigureSpec | TableSpec | NumbersSpec | DataSpec
