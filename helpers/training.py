"""Training: gradient descent, one step and the loop over epochs. Taught in lesson 07
(Training with gradient descent); lesson 00 (Start here) runs it once as a preview.

One training step is: forward pass, loss, backward pass, update of every weight and bias
(value -= lr * grad, each gradient with the shape of its parameter). An epoch runs steps
until every sample has been used once. X: (n, n_inputs); y: targets as the loss expects them.
"""

import numpy as np

from ._validate import as_float_array, check_positive_float, check_positive_int
from .losses import get_loss


class SGD:
    """Plain gradient descent: value -= lr * grad for every parameter.

    lr: the learning rate, a number > 0.
    """

    def __init__(self, lr):
        self.lr = check_positive_float(lr, "lr")

    def step(self, network):
        """Update every parameter of network in place using the gradients of the last backward."""
        for parameter in network.parameters():
            if parameter.grad is None:
                raise RuntimeError(
                    f"SGD.step found no gradient for layers[{parameter.layer_index}] "
                    f"{parameter.name}; run network.backward(...) before the update"
                )
            value = parameter.value  # the live array: updating it updates the network
            value -= self.lr * parameter.grad

    def __repr__(self):
        return f"SGD(lr={self.lr:g})"


def _diverged(value, optimizer):
    lr = getattr(optimizer, "lr", None)
    step = "the learning rate" if lr is None else f"the learning rate lr={lr:g}"
    return FloatingPointError(
        f"training diverged: the loss became {value}; {step} is probably too large (try a "
        "smaller one), or the inputs are very large (try scaling them to about -1..1)"
    )


def train_step(network, X, y, loss, optimizer):
    """One step of gradient descent on the batch (X, y); returns the loss before the update.

    X: (n, n_inputs); y: targets for loss (see helpers.losses); loss: a name or Loss;
    optimizer: an object with step(network), e.g. SGD(lr).
    Raises FloatingPointError when the network output overflows (a learning rate too large).
    """
    loss = get_loss(loss)
    with np.errstate(over="ignore", invalid="ignore"):
        prediction = network.forward(X)
        if not np.isfinite(prediction).all():
            raise _diverged("inf or NaN", optimizer)
        value, gradient = loss.value_and_gradient(prediction, y)
        if not np.isfinite(value):
            raise _diverged(value, optimizer)
        network.backward(gradient)
        optimizer.step(network)
    return value


def train(network, X, y, *, loss="mse", lr=0.1, optimizer=None, epochs=100, batch_size=None,
          rng=0, callback=None):
    """Train network on (X, y) by gradient descent; return the loss of every epoch.

    X: (n, n_inputs); y: targets, e.g. (n, n_outputs) for "mse", (n,) class indices for
        "softmax_cross_entropy".
    loss: "mse", "binary_cross_entropy", "softmax_cross_entropy" or a Loss.
    lr: learning rate of the SGD used when optimizer is None.
    epochs: number of passes over the data (> 0).
    batch_size: None for the full batch, else the mini-batch size (> 0); the samples are
        shuffled every epoch with a generator seeded by rng.
    callback: called as callback(epoch, loss) after each epoch, epoch counting from 1.

    Returns a list of epochs floats: each is the sample-weighted mean of that epoch's
    mini-batch losses, each measured before its update.
    """
    loss = get_loss(loss)
    optimizer = SGD(lr) if optimizer is None else optimizer
    epochs = check_positive_int(epochs, "epochs")
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=(1, 2))
    n = len(X)
    if len(y) != n:
        raise ValueError(
            f"X has {n} samples but y has {len(y)}; expected one target per row of X"
        )
    batch_size = n if batch_size is None else min(check_positive_int(batch_size, "batch_size"), n)
    if X.shape[1] != network.n_inputs:
        network.forward(X[:1])  # raises the network's own shape error
    # check the targets once, against an output of the right shape, before any update
    try:
        loss.value(np.full((n, network.n_outputs), 0.5), y)
    except ValueError as error:
        raise ValueError(f"y does not fit the loss {loss.name!r}: {error}") from None
    rng = np.random.default_rng(rng)

    history = []
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n) if batch_size < n else None
        total = 0.0
        for start in range(0, n, batch_size):
            if order is None:
                X_batch, y_batch = X, y
            else:
                rows = order[start:start + batch_size]
                X_batch, y_batch = X[rows], y[rows]
            total += train_step(network, X_batch, y_batch, loss, optimizer) * len(X_batch)
        history.append(total / n)
        if callback is not None:
            callback(epoch, history[-1])
    return history
