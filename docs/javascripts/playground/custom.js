/*
 * custom.js — the Playground's "Your own formula" controls: a surface typed by the reader.
 *
 * ui.js calls rcCustom.build(playground, surfaceFieldset) once and rcCustom.sync(playground) each
 * time it puts the settings into the form. This adds the "Your own formula" option to the
 * surface menu and, shown only for it, a labelled formula field (with a short syntax hint) and a
 * view-box field. A typed value is checked with the URL's own checks (query.js's checkFormula and
 * checkView, the first built on formula.js's parser) on change, i.e. on Enter or on leaving the
 * field: a good one redraws the page, a bad one keeps the last good surface on screen, marks the
 * field (aria-invalid) and says why beside it, in a polite live region. DOM methods and
 * textContent only: nothing typed is ever parsed as HTML or run as code.
 *
 * Browser global window.rcCustom; loaded after query.js and before ui.js.
 */
(function () {
  "use strict";

  var HINT = "In x and y: numbers (2, 0.5, 1e-3), + - * / ^, parentheses, sin cos tan exp log sqrt abs tanh, " +
             "min(a, b), max(a, b), pi, e. -x^2 means -(x^2). Press Enter to draw it.";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  /** A text field as wide as its group, its label above it (a formula is longer than a number). */
  function wideField(id, label, describedBy, size) {
    var input = el("input", { id: id, type: "text", size: size, spellcheck: "false", autocomplete: "off",
                              autocapitalize: "off", "aria-describedby": describedBy });
    input.style.maxWidth = "none";
    input.style.width = "100%";
    var row = el("div", { "class": "rc-pg__row rc-pg__row--wide" }, [el("label", { "for": id, text: label }), input]);
    row.style.flexDirection = "column";
    row.style.alignItems = "stretch";
    return { row: row, input: input };
  }

  function say(node, text) { node.textContent = text || ""; }

  function view(v) {
    return [v[0][0], v[0][1], v[1][0], v[1][1]].map(String).join(", ");
  }

  /** Add the option and the fields to the Surface group of playground `pg`. */
  function build(pg, fieldset) {
    var Q = window.rcQuery;
    if (!Q || !Q.CUSTOM || !window.rcEngine || !window.rcEngine.formula) return;   // formula.js missing: no option
    pg.fnSelect.appendChild(el("option", { value: Q.CUSTOM, text: "Your own formula" }));

    var formula = wideField("rc-pg-f", "Formula f(x, y)", "rc-pg-f-hint rc-pg-f-msg", "30");
    var hint = el("p", { id: "rc-pg-f-hint", "class": "rc-pg__hint", text: HINT });
    var formulaMsg = el("p", { id: "rc-pg-f-msg", "class": "rc-pg__field-msg", "aria-live": "polite" });
    var box = wideField("rc-pg-view", "View box: x from, x to, y from, y to", "rc-pg-view-msg", "20");
    var boxMsg = el("p", { id: "rc-pg-view-msg", "class": "rc-pg__field-msg", "aria-live": "polite" });
    var group = el("div", { "class": "rc-pg__custom", id: "rc-pg-custom", hidden: true },
                   [formula.row, hint, formulaMsg, box.row, boxMsg]);
    var fnRow = pg.fnSelect.parentNode;
    if (fnRow && fnRow.parentNode === fieldset) fieldset.insertBefore(group, fnRow.nextSibling);
    else fieldset.appendChild(group);

    pg.custom = { group: group, formula: formula.input, formulaMsg: formulaMsg, view: box.input, viewMsg: boxMsg };

    formula.input.addEventListener("change", function () {
      var r = Q.checkFormula(formula.input.value, "Formula");
      if (r.value === undefined) {
        // Keep what was typed (to be corrected) and the last good surface on screen.
        formula.input.setAttribute("aria-invalid", "true");
        say(formulaMsg, r.message + " The surface shown is still " + pg.settings.f + ".");
        return;
      }
      formula.input.removeAttribute("aria-invalid");
      say(formulaMsg, "");
      pg.settings.f = r.value;
      pg.settings.t = 0;
      pg.grid = null;
      pg.say([], false);
      pg.update();
    });

    box.input.addEventListener("change", function () {
      var s = pg.settings, r = Q.checkView(box.input.value, "View box", s.view);
      if (r.value === undefined) {
        box.input.setAttribute("aria-invalid", "true");
        say(boxMsg, r.message);
        return;
      }
      box.input.removeAttribute("aria-invalid");
      say(boxMsg, "");
      s.view = r.value;
      s.start = Q.clampStart(s.fn, s.start, r.value);
      s.t = 0;
      pg.grid = null;
      pg.say([], false);
      pg.update();
    });
  }

  /** Show the fields for fn=custom only, holding the settings' formula and view box. */
  function sync(pg) {
    var c = pg.custom, s = pg.settings;
    if (!c) return;
    c.group.hidden = s.fn !== window.rcQuery.CUSTOM;
    c.formula.value = s.f;
    c.view.value = view(s.view);
    [c.formula, c.view].forEach(function (i) { i.removeAttribute("aria-invalid"); });
    say(c.formulaMsg, "");
    say(c.viewMsg, "");
  }

  window.rcCustom = { build: build, sync: sync };
})();
