"""Scaling vs momentum: what each method remembers and what one step of Adam is made of.

The modules of docs/scaling-vs-momentum.md; see README.md beside this file."""
