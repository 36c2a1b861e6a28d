"""gen: one module per figure, table or set of numbers; ``python -m gen`` writes them all.

See gen/spec.py for what a module returns and gen/build.py for what gets written where.
"""
