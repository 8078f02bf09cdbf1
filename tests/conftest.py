"""Shared test set-up."""

import matplotlib
import pytest
from browser_fixtures import jupyter, page  # noqa: F401 - one server and browser per run

from helpers.graph import Operation, register_operation, unregister_operation

matplotlib.use("Agg")


@pytest.fixture
def square():
    """square(a) = a**2 with d/da = 2a: a row added to the table of operations for one test,
    and removed afterwards. Nothing else in the package is told about it."""
    operation = register_operation(Operation(
        "square", 1, lambda a: (a * a, (2 * a,)), "square({0})",
        r"\operatorname{{square}}({0})", lambda sp, a: a**2, label="{0}²"))
    try:
        yield operation
    finally:
        unregister_operation("square")
