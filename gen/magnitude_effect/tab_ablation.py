"""Table of the direction × magnitude ablation: steps to tolerance and tuned learning rate of
every method on every problem, and which of RMSprop's two factors carries the difference.

The numbers come from :func:`gen.magnitude_effect.ablation.compute` (the same runs as the figure): counts
within the 1,000-step budget, checked to hold until step 4,000; a tuned rate at the edge of
the range of rates that settle is marked, and effects within the noise floor (normalised
gradient descent's difference between the bowl and the rotated bowl) read "about the same".
"""
from __future__ import annotations

from gen.magnitude_effect import ablation as ab
from gen.spec import TableSpec
from gen.text import fmt

ID = "tab-ablation"
EDGE_MARK = "†"


def build() -> TableSpec:
    results = ab.compute()
    pkeys = list(results)
    floor = results[pkeys[0]]["noise_floor"]
    header = "| method | " + " | ".join(results[p]["label"] for p in pkeys) + " |"
    rule = "|---|" + "---:|" * len(pkeys)
    lines = [header, rule]
    at_edge = 0
    for mkey, (name, _colour) in ab.METHODS.items():
        cells = []
        for p in pkeys:
            m = results[p]["methods"][mkey]
            if m["lr"] is None:
                lr = "no rate settles"
            else:
                mark = EDGE_MARK if m["edge"] == "settling-range" else ""
                at_edge += bool(mark)
                lr = f"lr {fmt(m['lr'])}{mark}"
            cells.append(f"{m['text']} ({lr})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| *RMSprop's direction* | " + " | ".join(
        ab.ratio_text(results[p]["effects"]["direction"], floor) for p in pkeys) + " |")
    lines.append("| *RMSprop's step length* | " + " | ".join(
        ab.ratio_text(results[p]["effects"]["length"], floor) for p in pkeys) + " |")
    lines.append("| **carries the difference** | " + " | ".join(
        f"**{results[p]['effects']['carrier']}**" for p in pkeys) + " |")
    caption = (
        f"\n*Steps until the loss stays within {fmt(ab.TOL)} of the minimum, counted within "
        f"{ab.STEPS:,} steps and checked to hold until step {ab.HORIZON:,}, each method at its own "
        f"tuned learning rate (in brackets; {EDGE_MARK} the largest rate that settles, the next one on "
        f"the grid does not: {at_edge} of {len(ab.METHODS) * len(pkeys)}). The last three rows are the "
        "main effects of the 2 × 2 design: geometric means of the step ratios when RMSprop's factor "
        "replaces gradient descent's; ratios within "
        f"{fmt(round(100 * floor))}% of 1 (the difference between normalised gradient descent's counts on "
        "the bowl and the rotated bowl, where only rounding differs) are about the same.*\n"
    )
    return TableSpec(id=ID, markdown="\n".join(lines) + "\n" + caption,
                     numbers={"rows": fmt(len(ab.METHODS)), "edge_marked": fmt(at_edge)})
