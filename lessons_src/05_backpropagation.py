# %% [markdown]
# # 05 · Backpropagation
#
# [← 04 · Loss functions](04_loss_functions.ipynb) | [Contents](00_start_here.ipynb) | [06 · Gradient checking →](06_gradient_checking.ipynb)

# %% [markdown]
# > **Running this lesson.** Run the cells in order from the top (*Run → Run All Cells* runs
# > them all). The notebook opens showing the outputs of its last run, but a fresh kernel (a new
# > session, or after *Kernel → Restart Kernel*) has run nothing yet. To start from a cell in the
# > middle, click that cell, choose *Run → Run All Above Selected Cell*, then run the cell. Each
# > widget cell sets up what it needs and also runs on its own.
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/05_backpropagation.ipynb](../solutions/05_backpropagation.ipynb). Try each exercise before you compare.

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - say what backpropagation computes: **the gradient of the loss with respect to every weight
#   and every bias** of the network;
# - follow one weight's gradient through a small network by the chain rule, with real numbers;
# - write the backward pass of a whole network in matrix form: layer $l$, with input
#   $a^{(l-1)}$, pre-activation $z^{(l)}$ and activation $f$, has the delta
#   $\delta^{(l)} = \big(\delta^{(l+1)} (W^{(l+1)})^\top\big) \odot f'(z^{(l)})$, where
#   $W^{(l+1)}$ holds the weights of the **next** layer, the layer that $\delta^{(l+1)}$ belongs
#   to; then $dW^{(l)} = (a^{(l-1)})^\top \delta^{(l)}$ and
#   $db^{(l)} = \sum_{\text{rows}} \delta^{(l)}$;
# - write a dense layer's backward and an activation's backward yourself, starting from the
#   shapes of the gradients, and chain them into the backward pass of a two-layer network;
# - compare those gradients computed three independent ways (symbolically by sympy, by your
#   own matrix code, by the package) and confirm them with numeric differences.

# %% [markdown]
# **Run this cell first.** It loads the course's package, `helpers`, and the other libraries this
# lesson uses.

# %%
import numpy as np

from helpers.activations import get_activation, sigmoid, sigmoid_derivative, softmax
from helpers.exercises import (
    check_activation_backward,
    check_dense_backward,
    check_gradient_shapes,
    check_two_layer_backward,
)
from helpers.gradcheck import TOLERANCE, format_relative_error, numeric_gradient, relative_error
from helpers.layers import ActivationLayer, Dense
from helpers.losses import (
    mean_squared_error,
    mean_squared_error_gradient,
    softmax_cross_entropy_gradient,
)
from helpers.network import Network, build_network
from helpers.plots import draw_network
from helpers.symbolic import SymbolicNetwork

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## What backpropagation computes
#
# A network's output depends on all its weights and biases, and so does the loss $L$: one number
# for the error over all samples (lesson 04). To improve the network we want to know, for
# **each** parameter $w$, how $L$ changes when $w$ is nudged: $\partial L/\partial w$. Collected
# for every weight and bias, these numbers are the gradient of the loss, and computing them is
# what **backpropagation** does.
#
# It is nothing but the chain rule of lesson 03, applied to the network's computational graph
# from the loss backwards, one layer at a time. Each layer receives the gradient of the loss with
# respect to its output from the layer above (the upstream gradient), multiplies by its local
# derivatives, and passes the gradient with respect to its input down to the layer below.
# Gradient descent (lesson 07) then uses these gradients to update the parameters.

# %% [markdown]
# ## A worked example with real numbers
#
# The numbers come from a widely used worked example (Matt Mazur, "A Step by Step
# Backpropagation Example", 2015); the computation below is our own. The network has 2 inputs,
# 2 hidden neurons and 2 output neurons, all with the sigmoid activation $\sigma$, and one
# training sample:
#
# | quantity | values |
# |---|---|
# | inputs $x = (i_1, i_2)$ | 0.05, 0.10 |
# | input → hidden weights $w_1, w_2$ (into $h_1$), $w_3, w_4$ (into $h_2$) | 0.15, 0.20, 0.25, 0.30 |
# | hidden → output weights $w_5, w_6$ (into $o_1$), $w_7, w_8$ (into $o_2$) | 0.40, 0.45, 0.50, 0.55 |
# | biases: every hidden neuron, every output neuron (same starting value within a layer) | 0.35, 0.60 |
# | targets $y = (y_1, y_2)$ | 0.01, 0.99 |
#
# In this course's layout, `W[i, j]` connects input $i$ to neuron $j$, so the weights into one
# neuron form a **column** of `W`.

# %%
x = np.array([[0.05, 0.10]])  # one sample, shape (1, 2)
y = np.array([[0.01, 0.99]])
W1 = np.array([[0.15, 0.25],  # row: input i1 -> (h1, h2): w1, w3
               [0.20, 0.30]])  # row: input i2 -> (h1, h2): w2, w4
b1 = np.array([0.35, 0.35])
W2 = np.array([[0.40, 0.50],  # row: h1 -> (o1, o2): w5, w7
               [0.45, 0.55]])  # row: h2 -> (o1, o2): w6, w8
b2 = np.array([0.60, 0.60])
sigmoid_act = get_activation("sigmoid")  # an object: sigmoid_act.forward(z), .derivative(z)

# %% [markdown]
# ### Forward
#
# Each layer forms the pre-activation $z = xW + b$ (a weighted sum plus bias) and applies the
# activation $a = \sigma(z)$. The error $E$ is the squared-error loss of lesson 04 with $n = 1$
# (the worked example calls it the total error: it adds up both outputs):
# $E = \tfrac12\big[(a_{o_1} - y_1)^2 + (a_{o_2} - y_2)^2\big]$.

# %%
z1 = x @ W1 + b1
a1 = sigmoid_act.forward(z1)
z2 = a1 @ W2 + b2
a2 = sigmoid_act.forward(z2)
E = mean_squared_error(a2, y)
print(f"hidden: z = {z1[0, 0]:.9f}, {z1[0, 1]:.9f}   a = {a1[0, 0]:.9f}, {a1[0, 1]:.9f}")
print(f"output: z = {z2[0, 0]:.9f}, {z2[0, 1]:.9f}   a = {a2[0, 0]:.9f}, {a2[0, 1]:.9f}")
print(f"total error E = {E:.9f}")

# %% [markdown]
# ### Backward, one weight: $\partial E/\partial w_5$
#
# $w_5$ connects $h_1$ to $o_1$. It influences $E$ along one path only: $w_5 \to z_{o_1} \to
# a_{o_1} \to E$. The chain rule multiplies the three local derivatives along it:
#
# $$\frac{\partial E}{\partial w_5}
# = \underbrace{\frac{\partial E}{\partial a_{o_1}}}_{a_{o_1} - y_1}\;
#   \underbrace{\frac{\partial a_{o_1}}{\partial z_{o_1}}}_{a_{o_1}(1 - a_{o_1})}\;
#   \underbrace{\frac{\partial z_{o_1}}{\partial w_5}}_{a_{h_1}} .$$

# %%
dE_da = a2[0, 0] - y[0, 0]
da_dz = sigmoid_derivative(z2[0, 0])
dz_dw5 = a1[0, 0]
print(f"dE/da_o1 = {dE_da:.9f}, da_o1/dz_o1 = {da_dz:.9f}, dz_o1/dw5 = {dz_dw5:.9f}")
print(f"dE/dw5 = {dE_da * da_dz * dz_dw5:.9f}")

# %% [markdown]
# The first two factors together are $\partial E/\partial z_{o_1}$, the gradient at the output
# neuron's pre-activation. It has a name, the **delta** of the neuron, $\delta_{o_1}$, and every
# weight into $o_1$ uses it: $\partial E/\partial w_6 = \delta_{o_1}\,a_{h_2}$, and the bias of
# $o_1$ gets $\delta_{o_1} \cdot 1$.
#
# A hidden weight such as $w_1$ has a longer path, and $h_1$ feeds *both* outputs, so its delta
# collects two contributions that add, exactly like the reused variable of lesson 03:
#
# $$\delta_{h_1} = \big(\delta_{o_1} w_5 + \delta_{o_2} w_7\big)\, a_{h_1}(1 - a_{h_1}),
# \qquad \frac{\partial E}{\partial w_1} = \delta_{h_1}\, i_1 .$$

# %%
delta_o = (a2[0] - y[0]) * a2[0] * (1 - a2[0])  # the deltas of o1 and o2
delta_h1 = (delta_o[0] * W2[0, 0] + delta_o[1] * W2[0, 1]) * a1[0, 0] * (1 - a1[0, 0])  # w5, w7
print(f"delta_o1 = {delta_o[0]:.9f}, delta_o2 = {delta_o[1]:.9f}, delta_h1 = {delta_h1:.9f}")
print(f"dE/dw6 = delta_o1 * a_h2 = {delta_o[0] * a1[0, 1]:.9f}")
print(f"dE/dw1 = delta_h1 * i1   = {delta_h1 * x[0, 0]:.9f}")

# %% [markdown]
# Written for whole layers at once, these sums become matrix products; the matrix form below
# gives the same numbers.

# %% [markdown]
# ## Before you read on: one dense layer backward
#
# The next section writes the backward pass for whole layers, with matrices. Derive it yourself
# first: the two exercises below ask for the gradients of one dense layer, first their shapes,
# then the code. The section after them shows the answer.
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
# Replace each `None` (or fill in each function) and run the cell; the check below it explains
# what is wrong, if anything. Exercises 3 and 4, at the end of the lesson, build on these two:
# an activation's backward, then a whole two-layer backward pass made of your own pieces.
#
# **Exercise 1 — the shapes first.** A dense layer with 3 inputs and 2 neurons computes
# $z = XW + b$ for a batch of 5 samples: `X` has shape $(5, 3)$, `W` $(3, 2)$, `b` $(2,)$, and
# the gradient `upstream_grad` $= \partial L/\partial z$ arrives with shape $(5, 2)$. Before any
# code, write down the shapes of the layer's gradients `dW`, `db` and `dX`
# $= \partial L/\partial X$ as tuples, e.g. `(4, 7)`. Then write down the product that makes
# `dW`, and the one that makes `dX`, as the shapes of their two factors, left factor first,
# e.g. `((4, 7), (7, 1))`. Each factor is one of `X`, `W`, `upstream_grad` or the transpose of
# one of them.
#
# <details><summary>Hint</summary>
#
# $\partial L/\partial W$ holds one number for every entry of $W$. A product $A\,B$ of shapes
# $(p, q)$ and $(q, r)$ has shape $(p, r)$: the inner sizes must be equal, and they vanish.
# Which arrays carry the batch size 5, and which gradients must not?
#
# </details>

# %%
dW_shape = None  # your answer, a tuple such as (4, 7)
db_shape = None
dX_shape = None
dW_factors = None  # (shape of the left factor, shape of the right factor)
dX_factors = None
### BEGIN SOLUTION
dW_shape = (3, 2)
db_shape = (2,)
dX_shape = (5, 3)
dW_factors = ((3, 5), (5, 2))  # X.T @ upstream_grad
dX_factors = ((5, 2), (2, 3))  # upstream_grad @ W.T
### END SOLUTION

# %%
check_gradient_shapes(dW_shape, db_shape, dX_shape, dW_factors, dX_factors, n=5, n_in=3, n_out=2)

# %%
# the layer of Exercise 2: 5 samples, 3 inputs, 2 neurons, as in Exercise 1
layer_rng = np.random.default_rng(5)
X_layer = layer_rng.normal(size=(5, 3))  # (n, n_in)
W_layer = layer_rng.normal(size=(3, 2))  # (n_in, n_out)
g_layer = layer_rng.normal(size=(5, 2))  # upstream_grad = dL/dz, (n, n_out)

# %% [markdown]
# **Exercise 2 — one dense layer backward.** Now write the code for that layer: a function
# `dense_backward(X, W, upstream_grad)` that returns `dW`, `db` and `dX`. The check calls it
# with `X_layer` $(5, 3)$, `W_layer` $(3, 2)$ and `g_layer` $(5, 2)$ as `upstream_grad`, made in
# the cell above (try `dense_backward(X_layer, W_layer, g_layer)` yourself first), then on 3
# more random layers of the same shapes. If numpy refuses a product, the check shows the line
# and the shapes that met there.
#
# <details><summary>Hint</summary>
#
# Your shapes from Exercise 1 say which factors to multiply and in which order. The batch
# size must vanish from `dW` and `db`: in `dW` it is the inner size of the product; `db` has
# no product, so add up over the batch axis.
#
# </details>

# %%
def dense_backward(X, W, upstream_grad):
    """dW (n_in, n_out), db (n_out,) and dX (n, n_in) of z = X @ W + b, given
    upstream_grad = dL/dz (n, n_out)."""
    dW, db, dX = None, None, None  # your answers
    ### BEGIN SOLUTION
    dW = X.T @ upstream_grad
    db = upstream_grad.sum(axis=0)
    dX = upstream_grad @ W.T
    ### END SOLUTION
    return dW, db, dX

# %%
check_dense_backward(dense_backward, x=X_layer, W=W_layer, upstream_grad=g_layer)

# %% [markdown]
# ## The backward pass in matrix form
#
# Take a batch of $n$ samples as rows. Layer $l$ computes $z^{(l)} = a^{(l-1)} W^{(l)} + b^{(l)}$
# and $a^{(l)} = f(z^{(l)})$, with $a^{(0)} = x$. Define its delta as the gradient at the
# pre-activation, one row per sample: $\delta^{(l)} = \partial L/\partial z^{(l)}$, shape
# $(n, n_{\text{out}})$. Entry by entry,
# $z^{(l)}_{ij} = \sum_k a^{(l-1)}_{ik} W^{(l)}_{kj} + b^{(l)}_j$, so
#
# - $\partial L/\partial W^{(l)}_{kj} = \sum_i a^{(l-1)}_{ik}\,\delta^{(l)}_{ij}$, that is
#   $\;dW^{(l)} = (a^{(l-1)})^\top\,\delta^{(l)}$ — the sum over samples appears because every
#   sample reuses the same $W^{(l)}$, and gradients of a reused variable add;
# - $\partial L/\partial b^{(l)}_j = \sum_i \delta^{(l)}_{ij}$, that is $\;db^{(l)} = $ the sum of
#   $\delta^{(l)}$ over the rows;
# - $\partial L/\partial a^{(l-1)}_{ik} = \sum_j \delta^{(l)}_{ij} W^{(l)}_{kj}$, that is
#   $\;\delta^{(l)} (W^{(l)})^\top$, and through the activation of layer $l - 1$:
#   $\;\delta^{(l-1)} = \big(\delta^{(l)} (W^{(l)})^\top\big) \odot f'(z^{(l-1)})$.
#
# The last rule, written one layer up, is the one in the learning goals: a layer's delta comes
# from the next layer's delta and the next layer's weights, transposed. (Many textbooks, and
# PyTorch's `nn.Linear`, store a layer's weights with shape $(n_{\text{out}}, n_{\text{in}})$;
# there every $W$ here appears transposed, see lesson 01.) The code below computes exactly
# these products.
#
# The loss enters only once, in the delta of the last layer. For squared error on a sigmoid
# output that is $\delta = \frac{1}{n}(a - y) \odot \sigma'(z)$; for softmax cross-entropy it is
# $\frac{1}{n}(p - y)$ (lesson 04). Here is the whole backward pass, for any number of layers:

# %%
def forward_pass(x, weights, biases, activations):
    """Run the layers; return the output and, per layer, its input a_prev and pre-activation z."""
    a, cache = x, []
    for W, b, f in zip(weights, biases, activations, strict=True):
        z = a @ W + b
        cache.append((a, z))
        a = f.forward(z)
    return a, cache


def backward_pass(output_delta, cache, weights, activations):
    """Return [(dW, db) per layer], starting from delta = dL/dz of the last layer."""
    delta, grads = output_delta, [None] * len(weights)
    for l in reversed(range(len(weights))):
        a_prev, _ = cache[l]
        grads[l] = (a_prev.T @ delta, delta.sum(axis=0))
        if l > 0:
            z_prev = cache[l - 1][1]
            delta = (delta @ weights[l].T) * activations[l - 1].derivative(z_prev)
    return grads

# %% [markdown]
# On the worked example ($n = 1$), the output delta is $(a - y) \odot \sigma'(z)$:

# %%
output, cache = forward_pass(x, [W1, W2], [b1, b2], [sigmoid_act, sigmoid_act])
output_delta = mean_squared_error_gradient(output, y) * sigmoid_act.derivative(cache[1][1])
(dW1, db1), (dW2, db2) = backward_pass(output_delta, cache, [W1, W2], [sigmoid_act, sigmoid_act])
print(f"dE/dw5 = dW2[0, 0] = {dW2[0, 0]:.9f}")
with np.printoptions(precision=9):
    print(f"dE/dW2 =\n{dW2}\ndE/db2 = {db2}")
    print(f"dE/dW1 =\n{dW1}\ndE/db1 = {db1}")

# %% [markdown]
# ### The update
#
# Gradient descent (lesson 07) moves every weight against its gradient, here with the learning
# rate $\eta = 0.5$: $W \leftarrow W - \eta\, dW$. Note that $W^{(1)}$ (`W1`) is updated with
# gradients that were computed using the *old* $W^{(2)}$ (`W2`): first the whole backward pass,
# then all the updates. The
# worked example updates the weights only, so we do the same here to compare numbers: it
# publishes $w_5 = 0.35891648$ and $w_1 = 0.149780716$ after the step, the values printed
# below.

# %%
learning_rate = 0.5
W1_new = W1 - learning_rate * dW1
W2_new = W2 - learning_rate * dW2
positions = [(0, 0), (1, 0), (0, 1), (1, 1)]  # where w1..w4 sit in W1, and w5..w8 in W2
for layer, (old, new) in enumerate([(W1, W1_new), (W2, W2_new)]):
    print("   ".join(f"w{4 * layer + k + 1}: {old[r, c]:.2f} -> {new[r, c]:.9f}"
                     for k, (r, c) in enumerate(positions)))
_, cache_new = forward_pass(x, [W1_new, W2_new], [b1, b2], [sigmoid_act, sigmoid_act])
print(f"total error before: {E:.9f}, after one step: "
      f"{mean_squared_error(sigmoid_act.forward(cache_new[1][1]), y):.9f}")

# %% [markdown]
# ### The same with the package
#
# `helpers.network` does exactly this inside `Network.backward`: each `Dense` layer stores
# `dW = x.T @ upstream_grad` and `db = upstream_grad.sum(axis=0)` and passes
# `upstream_grad @ W.T` down; each activation layer multiplies by $f'(z)$. The last line checks
# $\partial E/\partial w_5$ once more, independently, with central differences of $E$.

# %%
example_network = Network([
    Dense(2, 2, weights=W1, bias=b1), ActivationLayer("sigmoid"),
    Dense(2, 2, weights=W2, bias=b2), ActivationLayer("sigmoid"),
])
prediction = example_network.forward(x)
example_network.backward(mean_squared_error_gradient(prediction, y))
# layer_index counts the entries of example_network.layers (Dense and activation layers alike):
# W1 and b1 are at index 0, W2 and b2 at index 2
for p in example_network.parameters():
    with np.printoptions(precision=9):
        print(f"layer {p.layer_index} d{p.name}:", p.grad.ravel())
print(f"package dE/dw5 = {example_network.layers[2].dW[0, 0]:.9f}")
# numeric_gradient nudges the entries of W2 in place, so the loss function can ignore its
# argument: the network itself sees every nudge
numeric_dw5 = numeric_gradient(lambda _: mean_squared_error(example_network.forward(x), y),
                               example_network.layers[2].W)[0, 0]
print("central differences agree on dE/dw5:",
      relative_error(example_network.layers[2].dW[0, 0], numeric_dw5) < TOLERANCE)

# %% [markdown]
# The picture puts the worked example together: each neuron shows its pre-activation $z$,
# activation $a$ and delta $\delta$ (rounded), and each edge its weight. The gradient of a weight
# is the delta at its right end times the activation at its left end; for $w_5$ (from $h_1$, top
# middle, to $o_1$, top right) that is $0.593 \times 0.138 \approx 0.082$. The picture names
# the inputs $x_1, x_2$ (the table's $i_1, i_2$) and the loss $L$ (here the error $E$).

# %% alt="The worked example's network with its values and deltas: inputs x1 = 0.05 and x2 = 0.1, two sigmoid hidden neurons (a = 0.593 and 0.597, δ = 0.00877 and 0.00995), two sigmoid outputs (a = 0.751 and 0.773, δ = 0.138 and −0.0381), each connection labelled with its weight, and the targets 0.01 and 0.99 with the loss L = 0.298."
draw_network(example_network, x[0], deltas=[db1, db2], target=y[0], loss=E,
             title="worked example: values and deltas")

# %% [markdown]
# ## Three ways, and a referee
#
# A gradient computed one way is a claim; computed independently three ways and confirmed by
# numeric differences, it is a fact. Take a 2-3-2 network with a tanh hidden layer and softmax
# cross-entropy on a batch of 4 samples: 17 parameters (6 + 3 weights and biases into the hidden
# layer, 6 + 2 into the output layer).
#
# 1. **symbolic**: sympy writes the loss as one formula in all 17 parameters and differentiates
#    it with respect to each parameter in turn, with no matrices and no backward pass;
# 2. **matrix form**: our `backward_pass` above, with output delta $\frac1n(p - y)$;
# 3. **package**: `Network.backward` from `helpers.network`;
#
# and the referee, **numeric**: central differences of the loss, nudging one parameter at a time.

# %%
network = build_network([2, 3, 2], hidden="tanh", output="identity", rng=0)
X = np.random.default_rng(1).normal(size=(4, 2))  # 4 samples, 2 features
labels = np.array([0, 1, 1, 0])
weights = [network.layers[0].W, network.layers[2].W]
biases = [network.layers[0].b, network.layers[2].b]
tanh, identity = get_activation("tanh"), get_activation("identity")

# 2. matrix form: our own forward_pass and backward_pass from above
logits, layer_cache = forward_pass(X, weights, biases, [tanh, identity])
delta_out = softmax_cross_entropy_gradient(logits, labels)  # (p - y) / n
matrix_form = backward_pass(delta_out, layer_cache, weights, [tanh, identity])
one_hot = np.eye(2)[labels]
print("output delta agrees with (p - y) / n:",
      relative_error(delta_out, (softmax(logits) - one_hot) / len(X)) < TOLERANCE)

# 3. package: the network's own backward pass
network.backward(softmax_cross_entropy_gradient(network.forward(X), labels))
package = [(layer.dW, layer.db) for layer in (network.layers[0], network.layers[2])]

# %% [markdown]
# For the symbolic way, `SymbolicNetwork` writes the same network with a symbol for every input,
# weight and bias. One sample's loss is a single formula of the 17 parameters, already long
# for this tiny network:

# %%
symbolic_network = SymbolicNetwork([2, 3, 2], hidden="tanh", output="identity",
                                   loss="softmax_cross_entropy")
print(f"{len(symbolic_network.parameters)} parameters;"
      f" the loss of one sample written out: {len(str(symbolic_network.loss))} characters")
print(f"its derivative for the bias b2[0] alone: {symbolic_network.gradients['b2[0]'].count_ops()}"
      " operations")

# %% [markdown]
# `compare` evaluates the symbolic gradients at our numbers (averaged over the 4 samples), runs
# the package's backward pass, and nudges every parameter for the numeric referee. We add the
# matrix-form column. The last column is the largest relative error of the three against numeric.
# Its exact digits are floating-point rounding, different on every machine, so the column shows
# only a bound, `< 1e-7`, for an error below $10^{-7}$. Whether the gradients *agree* is decided
# by the course's one tolerance, `TOLERANCE`, which the last line prints and compares with.

# %%
report = symbolic_network.compare(X, labels, network)
print(f"{'parameter':>9}  {'symbolic':>10}  {'matrix form':>11}  {'package':>10}  {'numeric':>10}"
      f"  {'rel. error':>10}")
errors = []
for row in report.rows:  # row.name is e.g. "W1[0, 2]" or "b2[1]"
    layer, which = int(row.name[1]) - 1, 0 if row.name[0] == "W" else 1
    index = tuple(int(i) for i in row.name[3:-1].split(","))
    ours, theirs = matrix_form[layer][which][index], package[layer][which][index]
    errors.append(max(relative_error(v, row.numeric) for v in (row.symbolic, ours, theirs)))
    print(f"{row.name:>9}  {row.symbolic:10.7f}  {ours:11.7f}  {theirs:10.7f}"
          f"  {row.numeric:10.7f}  {format_relative_error(errors[-1]):>10}")
print(f"loss = {report.loss:.7f}; every relative error below TOLERANCE = {TOLERANCE:.0e}:"
      f" {max(errors) < TOLERANCE}")

# %% [markdown]
# All three ways agree with the numeric referee: every relative error is below
# `TOLERANCE` $= 10^{-6}$.

# %% [markdown]
# ## Step through it
#
# The stepper below replays the worked example one step at a time: the forward pass layer by
# layer, the loss, then the backward pass (each layer's delta, then its `dW`, `db` and the
# gradient handed to the layer below), and finally the update. Click **next** (or drag the
# **step** slider; the controls sit at the top and do not move) and watch the deltas appear from
# right to left; **first** and **last** jump to the ends. Notice how much smaller the hidden
# layer's deltas are than the output layer's: they are the output deltas passed back through
# $W_2$, whose entries are below 1 and whose two terms partly cancel (the two output deltas have
# opposite signs), then multiplied by a sigmoid slope, at most $1/4$ (lesson 02). At the update,
# every number carries as many digits as it takes to show its change, and the picture's loss box
# shows the loss on this input before and after. Unlike the published
# example, the stepper's update also moves the biases. The cell builds the worked example's
# network again, so it also runs on its own.

# %% tags=["nbval-ignore-output"]
from helpers.network import build_network
from helpers.widgets import NetworkStepper

worked_example = build_network([2, 2, 2], hidden="sigmoid", output="sigmoid")
worked_example.layers[0].W[:] = [[0.15, 0.25], [0.20, 0.30]]  # w1 w3 / w2 w4
worked_example.layers[0].b[:] = 0.35
worked_example.layers[2].W[:] = [[0.40, 0.50], [0.45, 0.55]]  # w5 w7 / w6 w8
worked_example.layers[2].b[:] = 0.60
stepper = NetworkStepper(worked_example, [0.05, 0.10], [0.01, 0.99], loss="mse", lr=0.5)
stepper

# %% [markdown]
# These are the backward steps the stepper shows, all at once:

# %%
print("the backward pass, as the stepper shows it:")
for step in stepper.state.steps:
    if step.phase == "backward":
        print(f"  {step.title}: {step.text}")

# %% [markdown]
# ## Exercises 3 and 4
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# Your `dense_backward` from Exercise 2 comes back here: next to an activation's backward, it
# goes into the backward pass of a whole two-layer network.
#
# **Exercise 3 — a new activation's backward, for a batch.** The hidden layer of Exercise 4
# uses **SiLU** (also called swish), $\operatorname{silu}(z) = z\,\sigma(z)$, which many newer
# networks use in place of ReLU. No lesson has differentiated it, and `helpers.activations`
# does not have it. Its backward step receives `upstream_grad` $= \partial L/\partial a$ for a batch,
# where $a = \operatorname{silu}(z)$ and both have shape $(n, k)$, and returns
# $\partial L/\partial z$ with the same shape. Write `activation_backward(z, upstream_grad)`;
# you may use `sigmoid`. The check calls it with `z_hidden` and `upstream_hidden`, of shape
# $(6, 4)$, and on 3 more random batches.
#
# <details><summary>Hint</summary>
#
# SiLU acts on each entry alone: $a_{ij}$ depends on $z_{ij}$ only. So
# $\partial L/\partial z_{ij}$ needs $\partial L/\partial a_{ij}$ and the slope of SiLU at
# $z_{ij}$, nothing else. Which numpy operation multiplies two arrays entry by entry? For the
# slope: $z\,\sigma(z)$ is a product of two functions of $z$, and lesson 02 gives
# $\sigma'(z)$.
#
# </details>

# %%
def activation_backward(z, upstream_grad):
    """dL/dz (n, k) of a = silu(z) = z * sigmoid(z), given z (n, k) and upstream_grad = dL/da
    (n, k)."""
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return s * (1 + z * (1 - s)) * upstream_grad
    ### END SOLUTION

# %%
hidden_rng = np.random.default_rng(6)
z_hidden = hidden_rng.normal(size=(6, 4))  # pre-activation of 4 SiLU neurons, 6 samples
upstream_hidden = hidden_rng.normal(size=(6, 4))  # dL/da
check_activation_backward(activation_backward, z_hidden, upstream_hidden, "silu")

# %% [markdown]
# **Exercise 4 — a two-layer backward pass from your pieces.** A 3-4-2 network: a dense layer
# $(W_1, b_1)$ from 3 inputs to 4 hidden neurons, SiLU, a dense layer $(W_2, b_2)$ to 2
# outputs, no output activation, and the mean squared error. `network_backward` below already
# runs the forward pass and starts the backward pass with `upstream_grad`
# $= \partial L/\partial\,$`prediction`. Complete it by calling your own `dense_backward` and
# `activation_backward` (no new formula), and return `[(dW1, db1), (dW2, db2)]`, first layer
# first. The check compares with the package's `Network.backward`, on `X_two` and on 3 more
# random batches; it first makes sure your two pieces are done and right.
#
# <details><summary>Hint</summary>
#
# Start where `upstream_grad` belongs: at the output of which layer? What `dense_backward`
# returns as its third result is the gradient for that layer's input. For each call, ask which
# array was the layer's input in the forward pass.
#
# </details>

# %%
def network_backward(network, X, y):
    """[(dW1, db1), (dW2, db2)] of the mean squared error of network = Dense, SiLU, Dense."""
    W1, b1 = network.layers[0].W, network.layers[0].b
    W2, b2 = network.layers[2].W, network.layers[2].b
    z1 = X @ W1 + b1  # the forward pass, kept for the backward pass
    a1 = z1 * sigmoid(z1)  # silu(z1)
    prediction = a1 @ W2 + b2
    upstream_grad = mean_squared_error_gradient(prediction, y)  # dL/dprediction, (n, 2)
    dW1, db1, dW2, db2 = None, None, None, None  # your answers
    ### BEGIN SOLUTION
    dW2, db2, da1 = dense_backward(a1, W2, upstream_grad)
    dz1 = activation_backward(z1, da1)
    dW1, db1, _ = dense_backward(X, W1, dz1)
    ### END SOLUTION
    return [(dW1, db1), (dW2, db2)]

# %%
# SILU: SiLU with its derivative, kept with the exercise checks (the answer to Exercise 3)
from helpers.exercises.layer_backward import SILU

net = build_network([3, 4, 2], hidden=SILU, output="identity", rng=3)
two_rng = np.random.default_rng(4)
X_two = two_rng.normal(size=(6, 3))  # 6 samples, 3 features
y_two = two_rng.normal(size=(6, 2))  # 2 targets per sample
# your own dense_backward and activation_backward are checked first, then network_backward
check_two_layer_backward(network_backward, net, X_two, y_two, dense_backward, activation_backward)

# %% [markdown]
# ## Summary
#
# - Backpropagation computes **the gradient of the loss with respect to every weight and bias**,
#   by the chain rule, from the loss back to the input, in one sweep.
# - The central quantity is each layer's delta $\delta = \partial L/\partial z$. The loss enters
#   only in the last layer's delta, e.g. $\frac1n(p - y)$ for softmax or sigmoid with
#   cross-entropy.
# - Matrix form for a batch in rows: $dW^{(l)} = (a^{(l-1)})^\top \delta^{(l)}$,
#   $db^{(l)} = \sum_{\text{rows}}\delta^{(l)}$,
#   $\delta^{(l-1)} = \big(\delta^{(l)} (W^{(l)})^\top\big) \odot f'(z^{(l-1)})$: a layer's delta
#   comes from the next layer's delta and weights. The sums over samples are the "reused
#   variable" rule of lesson 03: every sample uses the same $W^{(l)}$ and $b^{(l)}$.
# - Worked example (2-2-2 sigmoid): $E = 0.298371109$, $\partial E/\partial w_5 = 0.082167041$,
#   and one step with $\eta = 0.5$ lowers the error.
# - Symbolic differentiation, the matrix form and the package agree with numeric differences:
#   every relative error is below the course's tolerance, `TOLERANCE` $= 10^{-6}$. Lesson 06
#   looks closely at such checks.
#
# [← 04 · Loss functions](04_loss_functions.ipynb) | [Contents](00_start_here.ipynb) | [06 · Gradient checking →](06_gradient_checking.ipynb)
