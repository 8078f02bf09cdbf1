"""Notebook test set-up: build matplotlib's font cache before nbval starts a kernel.

Without it the first lesson run on a fresh machine would print "Matplotlib is building the font
cache" on stderr, an output that the stored notebook does not have.
"""

import matplotlib.font_manager  # noqa: F401
