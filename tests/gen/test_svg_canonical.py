"""Static renders are the same bytes however Plotly happened to order an element's attributes."""
from __future__ import annotations

from gen.statics import canonical_svg

# The root of one figure's render from two builds of the same commit (CI, first and second build).
FIRST = '<svg class="main-svg" xmlns="http://www.w3.org/2000/svg" width="356" height="770" viewBox="0 0 356 770" style="">'
SECOND = '<svg class="main-svg" xmlns="http://www.w3.org/2000/svg" width="356" height="770" style="" viewBox="0 0 356 770">'


def test_two_attribute_orders_give_one_svg():
    assert FIRST != SECOND
    assert canonical_svg(FIRST) == canonical_svg(SECOND)


def test_every_element_is_sorted_and_nothing_else_changes():
    svg = ('<svg b="2" a="1"><g z="&quot;q&quot;" c="x &lt; y"><path d="M0,0L1,1" class="p"/></g>'
           '<text y="3" x="4">a &lt; b="c"</text></svg>')
    assert canonical_svg(svg) == ('<svg a="1" b="2"><g c="x &lt; y" z="&quot;q&quot;">'
                                  '<path class="p" d="M0,0L1,1"/></g><text x="4" y="3">a &lt; b="c"</text></svg>')
    assert canonical_svg(canonical_svg(svg)) == canonical_svg(svg)
