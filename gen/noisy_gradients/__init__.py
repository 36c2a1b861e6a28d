"""What noise changes: the verdicts with noisy gradients.

The modules of docs/noisy-gradients.md; see README.md beside this file."""
