"""Every weight's and bias's gradient three ways, side by side: symbolic, backprop, numeric.

Taught in lesson 05 (Backpropagation). ``SymbolicNetwork.compare`` fills a ``GradientReport``,
one ``GradientRow`` per parameter entry, shown as a text or HTML table.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import sympy as sp

from ..gradcheck import TOLERANCE, format_relative_error

__all__ = ["GradientReport", "GradientRow"]


@dataclass
class GradientRow:
    """One parameter entry compared three ways.

    Attributes:
        name (str): e.g. "W1[0, 1]" (Dense layer 1, input 0, neuron 1) or "b2[0]".
        symbol (sympy.Symbol): the entry's symbol, e.g. w^{(1)}_{12}.
        symbolic (float): the symbolic gradient evaluated at the numbers (batch mean).
        backprop (float): the package's backward pass (helpers.network).
        numeric (float): central differences (helpers.gradcheck.numeric_gradient).
        relative_error (float): the largest pairwise relative error of the three.
    """

    name: str
    symbol: sp.Symbol
    symbolic: float
    backprop: float
    numeric: float
    relative_error: float

    def __repr__(self) -> str:
        return (f"GradientRow({self.name}: symbolic {self.symbolic:.8g}, backprop "
                f"{self.backprop:.8g}, numeric {self.numeric:.8g}, relative error "
                f"{format_relative_error(self.relative_error)})")


@dataclass
class GradientReport:
    """Side-by-side gradients of every weight and bias: symbolic, backprop, numeric.

    Attributes:
        rows (list[GradientRow]): one per parameter entry, layer by layer, W before b.
        loss (float): the loss at these numbers.
        loss_name (str): e.g. "mse".
        error_bound (float | None): the tables show a relative error below this bound as
            "< 1e-7" (its digits are floating-point rounding and differ between machines);
            None shows every value, e.g. "3.1e-10".
    """

    rows: list[GradientRow]
    loss: float
    loss_name: str
    error_bound: float | None = 1e-7

    def _error(self, error: float) -> str:
        if self.error_bound is None:
            return f"{error:.1e}"
        return format_relative_error(error, self.error_bound)

    @property
    def worst_relative_error(self) -> float:
        """The largest relative error over all rows."""
        return max(row.relative_error for row in self.rows)

    def passed(self, tol: float = TOLERANCE) -> bool:
        """True if every row's relative error is below tol (the course's TOLERANCE, 1e-6)."""
        return self.worst_relative_error < tol

    _HEADER = ("parameter", "symbolic", "backprop", "numeric", "rel. error")

    def _cells(self, row: GradientRow) -> tuple[str, ...]:
        return (row.name, f"{row.symbolic:.8g}", f"{row.backprop:.8g}", f"{row.numeric:.8g}",
                self._error(row.relative_error))

    def to_text(self) -> str:
        """A plain-text table, one row per parameter entry, and the worst error."""
        table = [self._HEADER] + [self._cells(row) for row in self.rows]
        widths = [max(len(r[c]) for r in table) for c in range(len(self._HEADER))]
        lines = ["  ".join(cell.rjust(w) for cell, w in zip(r, widths, strict=True))
                 for r in table]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append(f"loss ({self.loss_name}) = {self.loss:.8g}; "
                     f"largest relative error {self._relation()}")
        return "\n".join(lines)

    def to_html(self) -> str:
        """The same table as HTML (shown by Jupyter)."""
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._HEADER)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in self._cells(row)) + "</tr>"
            for row in self.rows
        )
        caption = (f"loss ({html.escape(self.loss_name)}) = {self.loss:.8g}; largest "
                   f"relative error {html.escape(self._relation())}")
        return (f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")

    def _relation(self) -> str:
        """ "< 1e-7" or "= 3.1e-05", for the largest relative error."""
        text = self._error(self.worst_relative_error)
        return text if text.startswith("<") else f"= {text}"

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (f"GradientReport({len(self.rows)} parameter entries, loss ({self.loss_name}) "
                f"= {self.loss:.8g}, largest relative error {self._relation()})")

    def _repr_html_(self) -> str:
        return self.to_html()
