"""Check for lesson 07 (Training with gradient descent): the learner's own training loop.

``check_training_loop`` takes a function
``train_loop(network, X, y, loss, lr, epochs, batch_size, seed)`` that trains by mini-batch
gradient descent and returns the loss of every epoch, with the conventions of
``helpers.training.train``: ``rng = np.random.default_rng(seed)`` once, before the first epoch;
``order = rng.permutation(n)`` at the start of every epoch; batches of ``batch_size``
consecutive rows of that order, the last one smaller when batch_size does not divide n; in each
step forward, the batch's loss (before the update), backward from ``loss.gradient``, and
``p.value[...] -= lr * p.grad`` for every parameter; an epoch's loss is the mean of its batch
losses weighted by their rows.

The check runs the function on small problems of its own, with a network and a loss that
record every call: which rows of X each batch holds, the gradient passed to backward, the
weights before and after each step. So it can name what goes wrong (an epoch that skips or
repeats rows, a dropped last batch, a shuffle that is never done, the same every epoch, not
reproducible or deaf to the seed, rows of X and y out of step, a gradient divided twice, a step
uphill or none at all, the loss recorded per batch or unweighted), and at the end it compares
the loss history and the final weights with the package's own ``train``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..losses import Loss, get_loss
from ..network import build_network
from ..notation import format_number
from ..training import train
from .answers import _as_answer, _call, _function_name
from .feedback import Feedback, _check, _correct, _not_done, _Stop, _wrong
from .judging import _close, _judge
from .recording import _after_epoch, _epoch_losses, _Forward, _RecordingLoss, _RecordingNetwork

__all__ = ["CONVENTION", "check_training_loop"]

CONVENTION = ("rng = np.random.default_rng(seed) once, before the first epoch, and "
              "order = rng.permutation(n) at the start of every epoch")
NAMES = ("network", "X", "y", "loss", "lr", "epochs", "batch_size", "seed")


@dataclass(frozen=True)
class _Problem:
    """A small training problem the check gives the learner's function."""

    loss: str
    output: str
    n: int
    batch_size: int
    epochs: int
    lr: float
    seed: int
    data_seed: int

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.n / self.batch_size)

    def describe(self) -> str:
        if self.batch_size >= self.n:
            batches = f"in one batch (batch_size = {self.batch_size})"
        else:
            batches = (f"in batches of {self.batch_size} ({self.steps_per_epoch} steps per "
                       "epoch)")
        return (f"{self.n} rows {batches}, {self.epochs} epochs, lr = {format_number(self.lr)}, "
                f"seed = {self.seed}, loss {self.loss}")

    def data(self):
        """X (n, 2) and y (n, 1): every row of X and every target different, so a batch's rows
        can be told apart (targets in (0, 1) for the cross-entropy)."""
        rng = np.random.default_rng(self.data_seed)
        X = rng.normal(size=(self.n, 2))
        if self.loss == "mse":
            y = rng.normal(size=(self.n, 1))
        else:
            y = rng.uniform(0.05, 0.95, size=(self.n, 1))
        return X, y

    def network(self):
        return build_network([2, 3, 1], hidden="tanh", output=self.output, rng=self.data_seed)


PROBLEMS = (
    _Problem("mse", "identity", n=10, batch_size=4, epochs=3, lr=0.1, seed=7, data_seed=0),
    _Problem("binary_cross_entropy", "sigmoid", n=6, batch_size=8, epochs=2, lr=0.5, seed=3,
             data_seed=1),
)


@dataclass
class _Run:
    problem: _Problem
    X: np.ndarray
    y: np.ndarray
    network: _RecordingNetwork
    loss: _RecordingLoss
    history: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def base_loss(self) -> Loss:
        return get_loss(self.problem.loss)

    def orders(self) -> list[np.ndarray]:
        """The rows of every epoch in the order the batches used them."""
        per_epoch = self.problem.steps_per_epoch
        steps = self.network.steps
        return [np.concatenate([s.rows for s in steps[e * per_epoch:(e + 1) * per_epoch]])
                for e in range(self.problem.epochs)]

    def batch_losses(self) -> list[float]:
        """The loss of every step's batch, on the weights before its update."""
        return [self.base_loss.value(s.prediction, self.y[s.rows]) for s in self.network.steps]


def _run(answer, problem: _Problem, seed: int) -> _Run:
    """Call the learner's function on fresh copies of problem's network and data."""
    X, y = problem.data()
    network = _RecordingNetwork(problem.network(), X)
    loss = _RecordingLoss(get_loss(problem.loss), y)
    args = (network, X, y, loss, problem.lr, problem.epochs, problem.batch_size, seed)
    try:
        result = _call(answer, args, "list of epoch losses", NAMES)
    except _Stop as stop:
        message = stop.feedback.message
        if "no setter" in message or "can't set attribute" in message:
            raise _Stop(_wrong(
                message + "\n    A parameter p is a named tuple whose fields cannot be assigned; "
                "change its array in place: p.value[...] -= lr * p.grad.")) from None
        if "'NoneType'" in message and not network.steps:
            raise _Stop(_wrong(
                message + "\n    p.grad is None until network.backward(...) has run for this "
                "batch: call it before the update.")) from None
        if loss.whole_y:
            raise _Stop(_wrong(
                message + "\n    The loss was given all of y for a batch's prediction: use the "
                "batch's targets, y[rows].")) from None
        raise
    network.finish()
    run = _Run(problem, X, y, network, loss)
    run.history = _as_answer(result, "list of epoch losses")
    return run


# --- what can go wrong, in the order it is looked for ---------------------------------------


def _coverage(run: _Run) -> str | None:
    """Every epoch uses every row exactly once, in batches of batch_size (the last smaller)."""
    p, network = run.problem, run.network
    if not network.forwards:
        return "never called network.forward."
    steps = network.steps
    if not steps:
        return ("never called network.backward after network.forward, so no gradient was "
                "computed.")
    if run.loss.calls == 0:
        return "never called loss.value or loss.gradient; use the loss it receives as loss."
    if any(s.rows is None for s in network.forwards):
        return ("gave network.forward rows that are not rows of X; pass X[rows], the rows of "
                "the batch, unchanged.")
    sizes = [len(s.rows) for s in steps]
    batch = min(p.batch_size, p.n)
    expected = p.epochs * p.steps_per_epoch
    rest = p.n % batch
    if rest and len(steps) == p.epochs * (p.n // batch) and set(sizes) == {batch}:
        return (f"dropped the last, smaller batch: {p.n} rows in batches of {batch} leave "
                f"{rest} rows over, and they make one more step of {rest} rows "
                "(range(0, n, batch_size) includes it).")
    if batch < p.n and set(sizes) == {p.n}:
        return (f"used all {p.n} rows in every step; cut each epoch's order into batches of "
                "batch_size rows.")
    if p.epochs > 1 and len(steps) == p.steps_per_epoch:
        return f"ran one epoch only; repeat it epochs = {p.epochs} times."
    if batch > 1 and set(sizes) == {1}:
        return "made a step for every single row; use batches of batch_size rows."
    if len(steps) != expected:
        return (f"made {len(steps)} update steps; {p.epochs} epochs of {p.n} rows in batches "
                f"of {batch} take {p.epochs} × ceil({p.n} / {batch}) = {expected}.")
    for epoch, order in enumerate(run.orders(), start=1):
        counts = np.bincount(order, minlength=p.n)
        if np.any(counts != 1):
            twice, never = np.flatnonzero(counts > 1), np.flatnonzero(counts == 0)
            seen = (f"row {twice[0]} was used {counts[twice[0]]} times" if len(twice) else "")
            missed = f"row {never[0]} never" if len(never) else ""
            both = " and ".join(part for part in (seen, missed) if part)
            return (f"let epoch {epoch} skip or repeat rows: {both}. "
                    "An epoch uses every row exactly once: take consecutive slices of one "
                    "permutation, order[start:start + batch_size].")
    wanted = [min(batch, p.n - start) for start in range(0, p.n, batch)]
    if sizes[:len(wanted)] != wanted:
        return (f"made batches of {sizes[:len(wanted)]} rows; the batches are consecutive "
                f"slices of batch_size rows, the last one smaller: {wanted}.")
    return None


def _convention_orders(p: _Problem, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.permutation(p.n) for _ in range(p.epochs)]


def _shuffle(answer, run: _Run) -> str | None:
    """The orders are those of the convention (only when there are several batches)."""
    p = run.problem
    if p.batch_size >= p.n:
        return None
    orders, wanted = run.orders(), _convention_orders(p, p.seed)
    if all(np.array_equal(a, b) for a, b in zip(orders, wanted, strict=True)):
        return None
    # the first epoch whose order differs (epoch 1 when none does, e.g. orders from another seed)
    first = next((k for k, (a, b) in enumerate(zip(orders, wanted, strict=True))
                  if not np.array_equal(a, b)), 0)
    shown = f"\n    epoch {first + 1} should use the rows in the order {wanted[first].tolist()}\n" \
            f"    yours used them in the order       {orders[first].tolist()}"
    if all(np.array_equal(order, np.arange(p.n)) for order in orders):
        return ("never shuffled the rows: every epoch takes them in the order 0, 1, 2, ... "
                f"Use {CONVENTION}." + shown)
    if all(np.array_equal(order, orders[0]) for order in orders):
        where = (" (either the generator is made inside the epoch loop, so it starts afresh "
                 "every time, or the order is drawn only once, before it)"
                 if np.array_equal(orders[0], wanted[0]) else "")
        return (f"used the same order in every epoch{where}. Use {CONVENTION}." + shown)
    if np.array_equal(orders[0], wanted[0]) and all(
            np.array_equal(orders[k], orders[k - 1][wanted[k]]) for k in range(1, p.epochs)):
        return ("shuffled the previous epoch's order again (X = X[order], or rng.shuffle on "
                "the same array) from epoch 2 on; the convention draws a fresh "
                "order = rng.permutation(n) at the start of every epoch and indexes the "
                "original X and y with it.")
    again = _run(answer, p, p.seed)
    if _coverage(again) is None and not all(
            np.array_equal(a, b) for a, b in zip(again.orders(), orders, strict=True)):
        return (f"is not reproducible: two calls with seed = {p.seed} shuffled the rows "
                f"differently. Draw the orders from a generator made from seed: {CONVENTION}.")
    other = _run(answer, p, p.seed + 1)
    if _coverage(other) is None and all(
            np.array_equal(a, b) for a, b in zip(other.orders(), orders, strict=True)):
        return (f"ignores seed: calls with seed = {p.seed} and seed = {p.seed + 1} shuffled "
                f"the rows the same way. Use {CONVENTION}.")
    return f"shuffles the rows another way than the exercise asks: {CONVENTION}." + shown


def _upstream_grad(run: _Run, k: int, step: _Forward) -> str | None:
    """The backward of step k starts from loss.gradient(prediction, y_batch)."""
    m, n = len(step.rows), run.problem.n
    truth = run.base_loss.gradient(step.prediction, run.y[step.rows])
    got = step.upstream_grad
    if got.shape == truth.shape and _close(got, truth):
        return None
    where = f"In step {k} the gradient you passed to network.backward"
    for rows, result in run.loss.gradients:
        if (rows is not None and result.shape == got.shape and _close(got, result)
                and not np.array_equal(rows, step.rows)):
            return (f"{where} used targets that do not belong to the batch: the rows of X and "
                    "y are out of step. Index X and y with the same rows: X[rows], y[rows].")
    mistakes = [
        (lambda: truth * m, f"is {m} times loss.gradient(prediction, y_batch), the rows of the "
         "batch: pass loss.gradient(...) itself; it already divides by the batch's rows."),
        (lambda: truth / m, f"is loss.gradient divided by the batch's {m} rows again; "
         "loss.gradient already takes the mean over the batch."),
        (lambda: truth / n, f"is loss.gradient divided by n = {n}; loss.gradient already takes "
         "the mean over the batch."),
        (lambda: truth * m / n, f"is loss.gradient scaled by rows / n = {m}/{n}; pass "
         "loss.gradient(prediction, y_batch) itself."),
    ]
    why = _judge("gradient", got, truth, mistakes)
    return (f"{where} is not loss.gradient(prediction, y_batch) of that batch:\n"
            + why.replace("Your gradient is not right: ", "your gradient "))


def _losses_text(run: _Run) -> str:
    measured = _epoch_losses(run)
    return " → ".join(format_number(v) for v in measured)


def _update(run: _Run, k: int, step: _Forward) -> str | None:
    """The change of the weights in step k is -lr * p.grad for every parameter p."""
    lr = run.problem.lr
    m = len(step.rows)
    change = np.concatenate([(a - b).ravel() for a, b in zip(step.after, step.before,
                                                               strict=True)])
    grad = np.concatenate([g.ravel() for g in step.grads])
    if _close(change, -lr * grad):
        return None
    losses = f" The loss of each epoch: {_losses_text(run)}."
    if not np.any(change):
        later = next((j for j, s in enumerate(run.network.steps[k:], start=k + 1)
                      if any(np.any(a - b) for a, b in zip(s.after, s.before, strict=True))),
                     None)
        if later is not None:
            return (f"did not change the weights in step {k}; they first change in step "
                    f"{later}, so the batches before it make no update. Update after every "
                    "batch, inside the batch loop: p.value[...] -= lr * p.grad right after "
                    "network.backward(...).")
        return (f"did not change the weights in step {k}, so the loss does not fall.{losses} "
                "Change every parameter's array in place, p.value[...] -= lr * p.grad "
                "(value = value - lr * grad makes a new array and leaves the network as it "
                "was).")
    named = [
        (lr * grad, f"moved the weights uphill in step {k} (+ lr * p.grad): the loss goes up "
         f"instead of down.{losses} Gradient descent subtracts: p.value[...] -= lr * p.grad."),
        (-grad, f"forgot the learning rate in step {k}: the change was -p.grad, not "
         "-lr * p.grad."),
        (-grad / lr, f"divided by the learning rate in step {k}; multiply: -lr * p.grad."),
        (-lr * grad / m, f"divided the step by the batch's {m} rows in step {k}; p.grad "
         "already holds the mean over the batch (the 1/n is inside loss.gradient)."),
        (-lr * grad * m, f"multiplied the step by the batch's {m} rows in step {k}; the step "
         "is -lr * p.grad."),
    ]
    for wrong, why in named:
        if _close(change, wrong):
            return why
    unchanged = [f"layers[{p.layer_index}] {p.name}"
                 for p, a, b in zip(run.network.parameters(), step.after, step.before,
                                    strict=True) if not np.any(a - b)]
    if unchanged:
        return (f"did not update {', '.join(unchanged)} in step {k}; update every parameter "
                "of network.parameters().")
    return (f"changed the weights in step {k} by something other than -lr * p.grad. Update "
            "every parameter once per step, after network.backward: "
            "p.value[...] -= lr * p.grad.")


def _history(run: _Run) -> str | None:
    """One number per epoch: the mean of its batch losses, weighted by their rows."""
    p, got = run.problem, run.history
    steps = len(run.network.steps)
    if got.ndim != 1:
        return (f"returned an array of shape {got.shape}; return a list of {p.epochs} "
                "numbers, one per epoch.")
    if len(got) == steps != p.epochs:
        return (f"recorded the loss of every batch ({steps} numbers); return one number per "
                f"epoch ({p.epochs}): the mean of the epoch's batch losses, each weighted by "
                "its rows.")
    if len(got) != p.epochs:
        return f"returned {len(got)} numbers; return one per epoch, {p.epochs} in all."
    truth = _epoch_losses(run)
    per = p.steps_per_epoch
    batch = run.batch_losses()
    last_rows = p.n - (per - 1) * min(p.batch_size, p.n)
    mistakes = [
        (lambda: _epoch_losses(run, weighted=False),
         f"you took the plain mean of the batch losses; weight each by its rows (the last "
         f"batch has only {last_rows}): sum of batch loss × rows, divided by n = {p.n}."),
        (lambda: truth * p.n, f"you forgot to divide by n = {p.n}."),
        (lambda: _epoch_losses(run, every_batch=p.batch_size),
         f"you weighted every batch's loss by batch_size; the last batch has {last_rows} "
         f"rows, not batch_size = {p.batch_size}: weight each by len(rows)."),
        (lambda: [batch[(e + 1) * per - 1] for e in range(p.epochs)],
         "you recorded only the last batch's loss of each epoch."),
        (lambda: [batch[e * per] for e in range(p.epochs)],
         "you recorded only the first batch's loss of each epoch."),
        (lambda: [sum(batch[e * per:(e + 1) * per]) for e in range(p.epochs)],
         "you added up the batch losses; weight each by its rows and divide by n."),
        (lambda: _after_epoch(run), "you measured the loss on all rows after the epoch's "
         "updates; record each batch's loss before its update, as train does."),
        (lambda: [batch[(e + 1) * per - 1] * last_rows / p.n for e in range(p.epochs)],
         "only the last batch's loss × rows was kept (total = ... in place of total += ...); "
         "add every batch's loss × rows to the epoch's total."),
        (lambda: _epoch_losses(run, after_update=True), "you measured each batch's loss after "
         "its update; measure each batch's loss before its update, on the prediction of the "
         "forward pass that the backward pass starts from."),
    ]
    return _judge("list of epoch losses", got, truth, mistakes)


def _against_train(run: _Run) -> str | None:
    """The same loss history and final weights as helpers.training.train."""
    p = run.problem
    network = p.network()
    history = train(network, run.X, run.y, loss=p.loss, lr=p.lr, epochs=p.epochs,
                    batch_size=p.batch_size, rng=p.seed)
    final = np.concatenate([v.ravel() for v in run.network.forwards[-1].after])
    wanted = np.concatenate([v.value.ravel() for v in network.parameters()])
    if _close(run.history, np.array(history)) and _close(final, wanted):
        return None
    return ("ends with other weights or losses than train(network, X, y, loss=..., lr=lr, "
            "epochs=epochs, batch_size=batch_size, rng=seed).\n" + (
                _judge("list of epoch losses", run.history, np.array(history))
                or _judge("final weights", final, wanted)))


def _diagnose(answer, problem: _Problem) -> str | None:
    run = _run(answer, problem, problem.seed)
    why = _coverage(run) or _shuffle(answer, run)
    if why is None:
        for k, step in enumerate(run.network.steps, start=1):
            why = _upstream_grad(run, k, step) or _update(run, k, step)
            if why:
                break
    why = why or _history(run) or _against_train(run)
    if why is None:
        return None
    if not why.startswith(("In step", "Your")):
        why = f"{_function_name(answer, start=True)} {why}"
    return f"On {problem.describe()}:\n{why}"


@_check
def check_training_loop(train_loop) -> Feedback:
    """Check a function train_loop(network, X, y, loss, lr, epochs, batch_size, seed) that
    trains network by mini-batch gradient descent and returns the loss of every epoch, with
    the shuffle convention CONVENTION (the one helpers.training.train follows).

    The check calls it on small problems of its own (a few milliseconds each) and compares
    every batch, gradient, update and the returned losses with what they should be.
    """
    if train_loop is None or train_loop is Ellipsis:
        return _not_done("write the body of train_loop in the cell above, run that cell, then "
                         "this one.")
    if not callable(train_loop):
        return _wrong(f"train_loop should be a function; got {train_loop!r}.")
    used = set(getattr(getattr(train_loop, "__code__", None), "co_names", ()))
    if used & {"train", "train_step"}:
        return _wrong("Your train_loop calls the package's train or train_step; write the "
                      "four parts of a step yourself (forward, loss, backward, update).")
    if "bce" in used:
        return _wrong("Your train_loop uses bce; use its argument loss (the check passes "
                      "other losses too): loss.value(...) and loss.gradient(...).")
    for problem in PROBLEMS:
        why = _diagnose(train_loop, problem)
        if why is not None:
            return _wrong(why)
    first, second = PROBLEMS
    return _correct(f"Correct! Your train_loop uses every row once per epoch in the order the "
                    "seed gives, steps downhill after every batch and returns the same losses "
                    f"and final weights as train (on {first.n} rows in batches of "
                    f"{first.batch_size} with the loss {first.loss}, and on {second.n} rows in "
                    f"one batch with {second.loss}).")
