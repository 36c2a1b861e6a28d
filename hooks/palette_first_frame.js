/* Right after Material's own palette script in <header> (hooks/material_startup.py): a first
   visit has no stored palette, and Material's bundle, which runs after the first frame
   (hooks/scripts_after_paint.py), then applies the palette whose media query matches. Applied
   here, while the article is not parsed yet, a reader whose system is dark gets the dark page
   in the first frame instead of a light one that turns dark. */
(function () {
  "use strict";
  if (__md_get("__palette")) return;   // a stored choice: Material's script has applied it
  var inputs = document.querySelectorAll("input[data-md-color-media]");
  for (var i = 0; i < inputs.length; i++) {
    var media = inputs[i].getAttribute("data-md-color-media");
    if (!media || !matchMedia(media).matches) continue;
    for (var key of ["media", "scheme", "primary", "accent"]) {
      var value = inputs[i].getAttribute("data-md-color-" + key);
      if (value !== null && document.body.getAttribute("data-md-color-" + key) !== value) {
        document.body.setAttribute("data-md-color-" + key, value);
      }
    }
    return;
  }
})();
