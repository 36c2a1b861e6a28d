"""Favourable vs unfavourable starts: start B, the tiny offset, the sweep over starts, the rotated bowl.

The modules of docs/favourable-starts.md; see README.md beside this file."""
