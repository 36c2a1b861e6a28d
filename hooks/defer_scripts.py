"""mkdocs hook: keep Material's JavaScript bundle off the critical rendering path.
"""

import re


# Material loads its bundle with a plain <script> at the end of <body>; `defer` lets the
# browser paint the page before downloading and running it (same order, same DOM state:
# deferred scripts run in document order once parsing is done, before DOMContentLoaded).
MATERIAL_BUNDLE = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')


def on_post_page(output, page, config):
    return MATERIAL_BUNDLE.sub(r'<script src="\1" defer></script>', output, count=1)
