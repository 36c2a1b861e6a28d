"""The magnitude effect: learning-rate sweeps, the direction × length ablation, the linked simulator.

The modules of docs/magnitude-effect.md; see README.md beside this file."""
