"""Stills of the lessons' widgets for the course website.

A widget needs a running kernel, and the lessons are stored without widget state, so a
stored widget cell shows only a line of text ("Graph stepper: run this cell to show it").
The website shows pictures instead, made at site-build time from the widget's own *state*
(``helpers.widgets``): the cell's construction code is run on its own (it sets up everything
it needs, as a learner starting in the middle of a lesson may do), its last expression is the
widget view, and its state draws two stills with the package's own ``draw``:

- a stepper (graph or network): its first step and its last step;
- the activation explorer: the point the cell starts at, then the right end of its range;
- the training explorer: the untrained network, then the end of the run.

Nothing else of the lesson is run; the widgets' behaviour is not changed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from helpers.plots import figure_to_png, new_figure

WIDGET_TAG = "nbval-ignore-output"  # a stored widget cell carries this tag


@dataclass(frozen=True)
class Still:
    """One picture of a widget: its PNG bytes, its alt text and a caption."""

    png: bytes
    alt: str
    caption: str


def is_widget_cell(cell) -> bool:
    """True for a stored widget cell: a code cell tagged for nbval to ignore its output."""
    return cell.cell_type == "code" and WIDGET_TAG in cell.metadata.get("tags", [])


def construct_widget(source: str):
    """Run a widget cell's code in a fresh namespace; return the value of its last line."""
    tree = ast.parse(source)
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        raise ValueError("a widget cell must end with the widget, as an expression")
    namespace: dict = {"__name__": "__widget_cell__"}
    body = ast.Module(body=tree.body[:-1], type_ignores=[])
    exec(compile(body, "<widget cell>", "exec"), namespace)  # the lesson's own code
    last = ast.Expression(body=tree.body[-1].value)
    return eval(compile(last, "<widget cell>", "eval"), namespace)


def _drawn(state) -> bytes:
    """The state's picture now, drawn in a figure of its own size."""
    return figure_to_png(state.draw(new_figure(state.figsize)))


def _stepper_stills(name: str, state) -> list[Still]:
    stills = []
    for index, where in ((0, "first"), (state.n_steps - 1, "last")):
        state.go_to(index)
        what = f"{state.description}: {state.current_text}"
        stills.append(Still(state.picture(index), f"{name}, {where} step. {what}",
                            f"The {where} step ({what})."))
    return stills


def _activation_stills(name: str, state) -> list[Still]:
    stills = []
    for z, where in ((state.z, "where the cell starts"), (state.z_range[1], "the slider's end")):
        state.set_z(z)
        stills.append(Still(_drawn(state),
                            f"{name}: the curve of {state.activation} with the point at "
                            f"z = {state.z:g} and its tangent; {state.current_text}",
                            f"At {where}: {state.current_text}."))
    return stills


def _training_stills(name: str, state) -> list[Still]:
    first = Still(_drawn(state), f"{name} before training: an empty loss curve and the "
                  f"untrained network's decision regions over the {state.dataset} points; "
                  f"{state.current_text}", f"Before training: {state.current_text}.")
    state.train()
    last = Still(_drawn(state), f"{name} after {state.epoch} epochs: the loss per epoch "
                 f"falling, and the decision regions over the {state.dataset} points; "
                 f"{state.current_text}", f"After the run: {state.current_text}.")
    return [first, last]


def stills_of(source: str) -> tuple[str, list[Still]]:
    """(the widget's name, e.g. "Graph stepper", and its stills) for a widget cell's code."""
    view = construct_widget(source)
    state, name = view.state, view.name
    if hasattr(state, "n_steps"):
        return name, _stepper_stills(name, state)
    if hasattr(state, "set_z"):
        return name, _activation_stills(name, state)
    if hasattr(state, "train"):
        return name, _training_stills(name, state)
    raise TypeError(f"no stills are known for a {type(state).__name__}")
