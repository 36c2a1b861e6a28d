"""Numbers and words for prose, captions and tables: every formatted value on the site is made
by one of these, so that the same quantity is written the same way on every page.

``fmt`` and ``sci`` format numbers; ``count_text`` / ``counted`` are the only way a step count
reaches a page (they refuse a count not checked to a long enough horizon); the others are
small, shared phrasings.
"""
from __future__ import annotations

import math


def count_text(settling, i: int = 0) -> str:
    """Trajectory ``i``'s horizon-stable steps to tolerance for prose and tables, from an
    ``rmsprop_core.Settling``: "58", "more than 300", "diverges", or, for a run that settles
    and later leaves the tolerance, "91, then leaves at step 7,014".

    The only way a count reaches a page: it raises ValueError (and fails the build) unless the
    run was checked to a horizon of at least 4 × the budget and 4 × the count.

    >>> import rmsprop_core as rc
    >>> s = rc.settle(rc.gd(0.09), rc.objectives.bowl(), [[-3.5, 1.5]], 1e-3, budget=300)
    >>> count_text(s)
    '47'
    """
    status = settling.status[i]
    first = int(settling.first_settled[i])
    if settling.horizon < 4 * settling.budget or (first > 0 and settling.horizon < 4 * first):
        raise ValueError(
            f"count {first} was checked to step {settling.horizon} only: a quoted count must be "
            f"checked to at least 4 × the budget ({settling.budget}) and 4 × the count"
        )
    if status == "settled":
        return fmt(int(settling.steps[i]))
    if status == "left":
        return f"{fmt(first)}, then leaves at step {int(settling.left_at[i]):,}"
    if status == "diverged":
        return "diverges"
    return f"more than {fmt(settling.budget)}"


def counted(settling, i: int = 0) -> int:
    """A count for arithmetic (ratios, comparisons): not settling counts as budget + 1."""
    return int(settling.steps[i]) if settling.status[i] == "settled" else settling.budget + 1


def fmt(value: float, digits: int = 3) -> str:
    """Format a number for prose: ``digits`` significant digits, no exponent for everyday sizes.

    >>> fmt(3.16227766), fmt(120), fmt(0.000123)
    ('3.16', '120', '0.000123')
    """
    if not math.isfinite(value):
        raise ValueError(f"fmt: cannot format non-finite value {value!r} for prose")
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):d}"
    text = f"{value:.{digits}g}"
    if "e" in text:
        if abs(value) >= 1:      # 112.4 at 2 digits: "110", not "1.1e+02"
            return f"{float(text):.0f}"
        text = f"{value:.{digits + 6}f}".rstrip("0").rstrip(".")
    return text


#: Digits as superscripts, for powers of ten in prose and tables: "10⁻⁸".
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sci(value: float, digits: int = 2) -> str:
    """A very small or large positive number for prose: ``digits`` significant digits, and
    below 1e-3 or from 1e4 on a power of ten (fmt would print 0 or a long integer).

    >>> sci(2.9e-15), sci(5.4e7), sci(0.0307, 3), sci(0.0)
    ('2.9 × 10⁻¹⁵', '5.4 × 10⁷', '0.0307', '0')
    """
    if value == 0:
        return "0"
    if 1e-3 <= value < 1e4:
        return fmt(value, digits)
    exponent = math.floor(math.log10(value))
    mantissa = value / 10.0 ** exponent
    return f"{fmt(mantissa, digits)} × 10{str(exponent).translate(SUPERSCRIPT)}"



def prose_name(name: str) -> str:
    """A method's display name inside a sentence: "Gradient descent" -> "gradient descent",
    "Normalised GD" -> "normalised GD"; names that are names keep their capitals ("RMSprop",
    "Adam").

    >>> prose_name("Sign descent"), prose_name("RMSprop"), prose_name("Adam")
    ('sign descent', 'RMSprop', 'Adam')
    """
    if name in ("Adam",) or len(name) < 2 or name[1].isupper():
        return name
    return name[0].lower() + name[1:]


def power_of_ten(value: float) -> str:
    """An exact power of ten as "10⁻⁸" (the essay's ε and offsets); any other value via fmt.

    >>> power_of_ten(1e-08), power_of_ten(0.5)
    ('10⁻⁸', '0.5')
    """
    exponent = round(math.log10(value)) if value > 0 else 0
    if value > 0 and math.isclose(value, 10.0 ** exponent, rel_tol=1e-12):
        return "10" + str(exponent).translate(SUPERSCRIPT)
    return fmt(value)


def round_ratio(r: float) -> str:
    """A ratio for prose: two significant digits, whole numbers from 100 up.

    >>> round_ratio(3.14159), round_ratio(123.4)
    ('3.1', '123')
    """
    return fmt(round(r)) if r >= 100 else fmt(r, 2)


def quantity_word(fraction: float) -> str:
    """A word for a fraction of cases, chosen from the data (the prose quotes it)."""
    if fraction == 1.0:
        return "every"
    if fraction >= 0.9:
        return "almost every"
    if fraction > 0.5:
        return "most"
    if fraction >= 0.4:
        return "about half of the"
    return "few"
