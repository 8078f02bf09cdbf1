"""A network and a loss that record what a learner's training loop does with them. Used by
``training_loop``, the check of lesson 07 (Training with gradient descent).

``_RecordingNetwork`` wraps a real Network: every forward notes which rows of X went in and the
parameter values at that moment, every backward the gradient it received and the parameters'
gradients after it. ``_RecordingLoss`` is a Loss that notes the rows of y of every gradient
call. Everything else is the real network's and the real loss's. ``_epoch_losses`` and
``_after_epoch`` turn what was recorded into the epoch losses a loop should return, right or
typically wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..losses import Loss


def _values(network):
    return [p.value.copy() for p in network.parameters()]


class _RowFinder:
    """The index of each row of a batch in the full array (None for a row not in it)."""

    def __init__(self, full):
        self._index = {row.tobytes(): i for i, row in enumerate(np.asarray(full, dtype=float))}

    def __call__(self, batch):
        try:
            batch = np.asarray(batch, dtype=float)
            batch = batch.reshape(len(batch), -1)
        except (TypeError, ValueError):
            return None
        rows = [self._index.get(row.tobytes()) for row in batch]
        return None if None in rows else np.array(rows, dtype=int)


@dataclass
class _Forward:
    """One call of network.forward, and the backward that followed it (if any)."""

    rows: np.ndarray | None  # which rows of X went in (None: not rows of X)
    before: list  # the parameter values at that moment
    prediction: np.ndarray
    upstream_grad: np.ndarray | None = None  # what the backward after it received
    grads: list | None = None  # every p.grad after that backward
    after: list | None = None  # the parameter values at the next forward, or at the end


class _RecordingNetwork:
    """The network given to the learner's function: a real Network that records every call."""

    def __init__(self, network, X):
        self._network = network
        self._find_rows = _RowFinder(X)
        self.forwards: list[_Forward] = []

    def forward(self, X, **kwargs):
        output = self._network.forward(X, **kwargs)
        now = _values(self._network)
        if self.forwards and self.forwards[-1].after is None:
            self.forwards[-1].after = now
        self.forwards.append(_Forward(self._find_rows(X), now, np.array(output, dtype=float)))
        return output

    def backward(self, upstream_grad):
        result = self._network.backward(upstream_grad)
        if self.forwards:
            self.forwards[-1].upstream_grad = np.array(upstream_grad, dtype=float)
            self.forwards[-1].grads = [p.grad.copy() for p in self._network.parameters()]
        return result

    def parameters(self):
        return self._network.parameters()

    def finish(self):
        if self.forwards and self.forwards[-1].after is None:
            self.forwards[-1].after = _values(self._network)

    @property
    def steps(self) -> list[_Forward]:
        """The forwards followed by a backward: one per update step."""
        return [f for f in self.forwards if f.upstream_grad is not None]

    def __getattr__(self, name):  # layers, n_inputs, copy, ...: those of the real network
        if name.startswith("_"):  # not found on the recorder itself (copy, numpy's probes)
            raise AttributeError(name)
        return getattr(self._network, name)

    def __repr__(self):
        return repr(self._network)


class _RecordingLoss(Loss):
    """The loss given to the learner's function: records the targets of every gradient call."""

    def __init__(self, loss: Loss, y):
        super().__init__(loss.name, loss.value, loss.gradient)
        self._find_rows = _RowFinder(y)
        self.calls = 0
        self._n = len(np.asarray(y))
        self.whole_y = False  # given all of y for a prediction with fewer rows
        self.gradients: list[tuple[np.ndarray | None, np.ndarray]] = []  # (rows of y, result)

    def _note(self, prediction, target):
        self.calls += 1
        self.whole_y = self.whole_y or (np.shape(target)[:1] == (self._n,)
                                        and np.shape(prediction)[:1] not in ((self._n,), ()))

    def value(self, prediction, target):
        self._note(prediction, target)
        return super().value(prediction, target)

    def gradient(self, prediction, target):
        self._note(prediction, target)
        result = super().gradient(prediction, target)
        self.gradients.append((self._find_rows(target), np.array(result, dtype=float)))
        return result

    def value_and_gradient(self, prediction, target):
        return self.value(prediction, target), self.gradient(prediction, target)


# --- epoch losses from what was recorded (run: a training_loop._Run) ------------------------


def _losses_after_update(run) -> list[float]:
    """The loss of every step's batch on the weights right after its update."""
    network = run.problem.network()
    result = []
    for step in run.network.steps:
        for param, value in zip(network.parameters(), step.after, strict=True):
            param.value[...] = value
        rows = step.rows
        result.append(run.base_loss.value(network.forward(run.X[rows]), run.y[rows]))
    return result


def _epoch_losses(run, weighted: bool = True, after_update: bool = False,
                  every_batch: int | None = None) -> np.ndarray:
    """Each epoch's loss from its batch losses: the mean weighted by the batches' rows (by
    every_batch rows each, when given), or the plain mean (weighted False)."""
    p = run.problem
    losses = _losses_after_update(run) if after_update else run.batch_losses()
    sizes = [len(s.rows) for s in run.network.steps]
    per = p.steps_per_epoch
    result = []
    for e in range(p.epochs):
        chunk, rows = losses[e * per:(e + 1) * per], sizes[e * per:(e + 1) * per]
        if every_batch is not None:
            rows = [every_batch] * len(rows)
        if weighted:
            result.append(sum(v * r for v, r in zip(chunk, rows, strict=True)) / p.n)
        else:
            result.append(sum(chunk) / len(chunk))
    return np.array(result)


def _after_epoch(run) -> np.ndarray:
    """The loss on all rows with the weights at the end of each epoch."""
    p, steps, per = run.problem, run.network.steps, run.problem.steps_per_epoch
    network = p.network()
    result = []
    for e in range(p.epochs):
        for param, value in zip(network.parameters(), steps[(e + 1) * per - 1].after,
                                strict=True):
            param.value[...] = value
        result.append(run.base_loss.value(network.forward(run.X), run.y))
    return np.array(result)
