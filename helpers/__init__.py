"""helpers: forward and backward propagation in numpy, for the course notebooks."""
