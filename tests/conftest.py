"""Shared test set-up."""

import matplotlib

matplotlib.use("Agg")
# Build matplotlib's font cache once, before any notebook kernel starts, so that no kernel
# prints "Matplotlib is building the font cache" on stderr during a test.
import matplotlib.font_manager  # noqa: E402, F401
