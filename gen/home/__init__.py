"""Home: the short answers and the hero figure (starts A and B on the course bowl).

The modules of docs/index.md; see README.md beside this file."""
