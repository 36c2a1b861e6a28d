"""The update rules: conventions, first steps, and the rules' numbers.

The modules of docs/update-rules.md; see README.md beside this file."""
