"""Table of the direction × magnitude ablation: steps to tolerance and tuned learning rate of
every method on every problem, and which of RMSprop's two factors carries the difference.

The numbers come from :func:`gen.fig_ablation.compute` (the same runs as the figure).
"""
from __future__ import annotations

from gen import fig_ablation as ab
from gen.spec import TableSpec, fmt, steps_text

ID = "tab-ablation"


def build() -> TableSpec:
    results = ab.compute()
    pkeys = list(results)
    header = "| method | " + " | ".join(results[p]["label"] for p in pkeys) + " |"
    rule = "|---|" + "---:|" * len(pkeys)
    lines = [header, rule]
    for mkey, (name, _colour) in ab.METHODS.items():
        cells = []
        for p in pkeys:
            m = results[p]["methods"][mkey]
            lr = "no rate converges" if m["lr"] is None else f"lr {fmt(m['lr'])}"
            cells.append(f"{steps_text(m['steps'], ab.STEPS)} ({lr})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| *RMSprop's direction* | " + " | ".join(
        ab.ratio_text(results[p]["effects"]["direction"]) for p in pkeys) + " |")
    lines.append("| *RMSprop's step length* | " + " | ".join(
        ab.ratio_text(results[p]["effects"]["length"]) for p in pkeys) + " |")
    lines.append("| **carries the difference** | " + " | ".join(
        f"**{results[p]['effects']['carrier']}**" for p in pkeys) + " |")
    caption = (
        f"\n*Steps until the loss stays within {fmt(ab.TOL)} of the minimum (horizon {fmt(ab.STEPS)}), "
        "each method at its own tuned learning rate (in brackets). The last three rows are the main "
        "effects of the 2 × 2 design: geometric means of the step ratios when RMSprop's factor replaces "
        "gradient descent's.*\n"
    )
    return TableSpec(id=ID, markdown="\n".join(lines) + "\n" + caption,
                     numbers={"rows": fmt(len(ab.METHODS))})
