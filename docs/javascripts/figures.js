/*
 * figures.js — renders the site's Plotly figures.
 *
 * Every generated figure include (docs/generated/figures/<id>.html) carries its figure JSON in
 * an inert <template class="plotly-json"> inside a fixed-size placeholder. This script:
 *   - loads plotly.js (vendored, docs/vendor/plotly/plotly.min.js) only when a figure comes near
 *     the viewport, after the page's load event (when the browser is idle, or at the reader's
 *     first interaction if that comes sooner), so it never blocks first paint;
 *   - renders each figure once, replacing Plotly's SVG button/slider controls with real HTML
 *     controls (keyboard- and screen-reader-operable) that call the same Plotly methods;
 *   - follows Material's palette toggle (data-md-color-scheme on <body>) and resizes with the page;
 *   - runs inside document$.subscribe, so it works with instant navigation, and purges figures
 *     that navigation detached.
 *
 * Public API (other scripts, e.g. the Playground, rely on it):
 *   window.rcPlotly.load()        -> Promise<Plotly>  (loads plotly.js once, relative to the site base)
 *   window.rcPlotly.themeLayout() -> partial layout object for the current palette
 *   window.rcPlotly.applyTheme(gd)   re-colours one rendered figure for the current palette
 *   document dispatches "rc:themechange" (detail: {scheme}) when the palette changes.
 */
(function () {
  "use strict";

  // This script lives at <site base>/javascripts/figures.js; resolving the vendored bundle
  // against it keeps working under a sub-path (GitHub Pages project sites) and on every page depth.
  var SCRIPT_URL = (document.currentScript && document.currentScript.src) || window.location.href;
  var PLOTLY_URL = new URL("../vendor/plotly/plotly.min.js", SCRIPT_URL).href;

  var PALETTES = {
    // Light ("default") and dark ("slate") colours matching Material's defaults.
    "default": {
      paper: "#ffffff", plot: "#ffffff", font: "rgba(0,0,0,0.87)",
      grid: "#e3e3e3", zeroline: "#b8b8b8", line: "#8a8a8a",
      legendBg: "rgba(255,255,255,0.85)"
    },
    "slate": {
      paper: "#1e2129", plot: "#1e2129", font: "#e2e4e9",
      grid: "#3a3e4a", zeroline: "#5c6170", line: "#7d8292",
      legendBg: "rgba(30,33,41,0.85)"
    }
  };

  // plotly.js costs about 0.3 s of main-thread work to evaluate on a laptop (over 1 s on a
  // throttled phone). It must not delay first paint, so figures near the viewport render once
  // the page has loaded and the browser is idle (at most IDLE_TIMEOUT_MS later), or at once when
  // the reader interacts (pointer, key, wheel, touch, scroll) before that. Captions and
  // fixed-size placeholders are already on the page, so nothing jumps when a figure appears.
  var IDLE_TIMEOUT_MS = 1000;
  var INTERACTION_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart", "scroll"];
  var readyPromise = null;

  function whenReady() {
    if (!readyPromise) {
      readyPromise = new Promise(function (resolve) {
        function go() {
          INTERACTION_EVENTS.forEach(function (type) {
            window.removeEventListener(type, go, { capture: true, passive: true });
          });
          resolve();
        }
        INTERACTION_EVENTS.forEach(function (type) {
          window.addEventListener(type, go, { capture: true, passive: true });
        });
        function idle() {
          if ("requestIdleCallback" in window) window.requestIdleCallback(go, { timeout: IDLE_TIMEOUT_MS });
          else window.setTimeout(go, 0);
        }
        if (document.readyState === "complete") idle();
        else window.addEventListener("load", idle, { once: true });
      });
    }
    return readyPromise;
  }

  var plotlyPromise = null;
  var rendered = new Set();        // graph divs currently rendered (purged when detached)
  var observer = null;             // IntersectionObserver for lazy rendering
  var resizeObserver = null;

  function load() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyPromise) {
      plotlyPromise = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = PLOTLY_URL;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () {
          plotlyPromise = null;   // allow a retry on the next navigation
          reject(new Error("figures.js: could not load " + PLOTLY_URL));
        };
        document.head.appendChild(script);
      });
    }
    return plotlyPromise;
  }

  function scheme() {
    var s = document.body && document.body.getAttribute("data-md-color-scheme");
    return s === "slate" ? "slate" : "default";
  }

  function axisTheme(p) {
    return { gridcolor: p.grid, zerolinecolor: p.zeroline, linecolor: p.line,
             tickfont: { color: p.font }, title: { font: { color: p.font } } };
  }

  /** A partial layout for the current palette (merge it into a figure's layout). */
  function themeLayout() {
    var p = PALETTES[scheme()];
    return {
      paper_bgcolor: p.paper,
      plot_bgcolor: p.plot,
      font: { color: p.font },
      legend: { bgcolor: p.legendBg, font: { color: p.font } },
      xaxis: axisTheme(p),
      yaxis: axisTheme(p)
    };
  }

  // Flat "a.b.c" keys for Plotly.relayout (nested objects there would replace whole containers),
  // covering every axis the figure has (xaxis2, yaxis3, ...).
  function themeRelayout(gd) {
    var p = PALETTES[scheme()];
    var update = {
      paper_bgcolor: p.paper, plot_bgcolor: p.plot, "font.color": p.font,
      "legend.bgcolor": p.legendBg, "legend.font.color": p.font
    };
    Object.keys(gd.layout || {}).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        update[key + ".gridcolor"] = p.grid;
        update[key + ".zerolinecolor"] = p.zeroline;
        update[key + ".linecolor"] = p.line;
        update[key + ".tickfont.color"] = p.font;
        update[key + ".title.font.color"] = p.font;
      }
    });
    return update;
  }

  function deepMerge(target, source) {
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        if (!target[key] || typeof target[key] !== "object") target[key] = {};
        deepMerge(target[key], value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function applyTheme(gd) {
    if (!window.Plotly || !gd || !gd.layout) return Promise.resolve();
    return window.Plotly.relayout(gd, themeRelayout(gd));
  }

  // ----- accessible controls -------------------------------------------------------------

  function callPlotly(gd, method, args) {
    var P = window.Plotly;
    args = args || [];
    if (method === "animate") return P.animate(gd, args[0], args[1]);
    if (method === "restyle" || method === "relayout" || method === "update") {
      return P[method].apply(P, [gd].concat(args));
    }
    return Promise.resolve();   // "skip" and unknown methods do nothing
  }

  function buttonsControl(gd, menu, index, label) {
    var group = document.createElement("div");
    group.className = "rc-figure__buttons";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", label);
    var active = typeof menu.active === "number" ? menu.active : 0;
    var buttons = (menu.buttons || []).filter(function (b) { return b.visible !== false; });
    buttons.forEach(function (spec, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button rc-figure__button";
      button.textContent = spec.label || ("Option " + (i + 1));
      button.setAttribute("aria-pressed", i === active ? "true" : "false");
      button.addEventListener("click", function () {
        callPlotly(gd, spec.method, spec.args).then(function () {
          group.querySelectorAll("button").forEach(function (other) {
            var on = other === button;
            other.setAttribute("aria-pressed", on ? "true" : "false");
          });
          gd.dispatchEvent(new CustomEvent("rc:control", { detail: { menu: index, label: spec.label } }));
        });
      });
      group.appendChild(button);
    });
    return group;
  }

  function sliderControl(gd, slider, index, label) {
    var wrap = document.createElement("div");
    wrap.className = "rc-figure__slider";
    var steps = (slider.steps || []).filter(function (s) { return s.visible !== false; });
    var id = gd.id + "-slider-" + index;
    var title = document.createElement("label");
    title.setAttribute("for", id);
    var prefix = (slider.currentvalue && slider.currentvalue.prefix) || label + ": ";
    var input = document.createElement("input");
    input.type = "range";
    input.id = id;
    input.min = "0";
    input.max = String(Math.max(steps.length - 1, 0));
    input.step = "1";
    input.value = String(typeof slider.active === "number" ? slider.active : 0);
    var output = document.createElement("output");
    output.setAttribute("for", id);
    function show() {
      var step = steps[Number(input.value)] || {};
      output.textContent = step.label || "";
      input.setAttribute("aria-valuetext", step.label || input.value);
    }
    title.textContent = prefix.replace(/[:\s]+$/, "");
    input.addEventListener("input", function () {
      var step = steps[Number(input.value)];
      show();
      if (step) callPlotly(gd, step.method, step.args);
    });
    show();
    wrap.appendChild(title);
    wrap.appendChild(input);
    wrap.appendChild(output);
    return wrap;
  }

  /** Moves Plotly's SVG updatemenus/sliders into HTML controls and returns the trimmed layout. */
  function extractControls(gd, layout, container) {
    var bar = document.createElement("div");
    bar.className = "rc-figure__controls";
    var figureLabel = gd.getAttribute("data-title") || "figure";
    (layout.updatemenus || []).forEach(function (menu, i) {
      if ((menu.type || "dropdown") === "buttons" || menu.type === "dropdown") {
        var name = (menu.name || "Options") + " (" + figureLabel + ")";
        bar.appendChild(buttonsControl(gd, menu, i, name));
      }
    });
    (layout.sliders || []).forEach(function (slider, i) {
      bar.appendChild(sliderControl(gd, slider, i, slider.name || "Step"));
    });
    delete layout.updatemenus;
    delete layout.sliders;
    if (bar.childNodes.length) container.insertBefore(bar, container.firstChild);
    return layout;
  }

  // PNG download of the figure in its current state (Plotly's toImage, as the modebar's camera
  // button does): a real button beside "Link to this figure", added only once the figure has
  // rendered, so it is never a dead control.
  function addPngButton(gd, figure, figureId) {
    var links = figure && figure.querySelector(".rc-figure__links");
    if (!links || links.querySelector(".rc-figure__png")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "rc-figure__png";
    button.textContent = "PNG";
    button.setAttribute("aria-label", "Download the figure as a PNG image (" +
                        (gd.getAttribute("data-title") || figureId) + ")");
    button.addEventListener("click", function () {
      window.Plotly.downloadImage(gd, { format: "png", filename: figureId, scale: 2 });
    });
    links.appendChild(document.createTextNode(" · Download the image: "));
    links.appendChild(button);
  }

  // ----- rendering -----------------------------------------------------------------------

  function render(placeholder) {
    if (placeholder.getAttribute("data-rc-state")) return;
    var template = placeholder.querySelector("template.plotly-json");
    if (!template) return;
    placeholder.setAttribute("data-rc-state", "loading");
    var spec = JSON.parse(template.content ? template.content.textContent : template.textContent);
    whenReady().then(load).then(function (Plotly) {
      if (!document.body.contains(placeholder)) return;   // navigated away meanwhile
      var gd = document.createElement("div");
      gd.className = "rc-figure__graph";
      gd.id = placeholder.getAttribute("data-figure") + "-graph";
      gd.setAttribute("data-title", placeholder.getAttribute("data-title") || "figure");
      var layout = spec.layout || {};
      // The include reserves a slot (with its height) for the controls so nothing jumps.
      var figure = placeholder.closest("figure") || placeholder.parentNode;
      var slot = figure.querySelector(".rc-figure__controls-slot");
      if (!slot) {
        slot = document.createElement("div");
        slot.className = "rc-figure__controls-slot";
        placeholder.parentNode.insertBefore(slot, placeholder);
      }
      layout = extractControls(gd, layout, slot);
      delete layout.width;
      layout.autosize = true;
      deepMerge(layout, themeLayout());
      placeholder.appendChild(gd);
      var figureId = placeholder.getAttribute("data-figure");
      return Plotly.newPlot(gd, spec.data || [], layout, {
        // No modebar: its buttons would be controls nested inside the role="img" placeholder
        // (axe: nested-interactive). Its toImage action is the caption's PNG button instead.
        displayModeBar: false, responsive: false, scrollZoom: false
      }).then(function () {
        addPngButton(gd, figure, figureId);
        if (spec.frames && spec.frames.length) return Plotly.addFrames(gd, spec.frames);
      }).then(function () {
        placeholder.setAttribute("data-rc-state", "rendered");
        placeholder.classList.add("rc-figure__plot--rendered");
        rendered.add(gd);
        if (resizeObserver) resizeObserver.observe(gd);
      });
    }).catch(function (error) {
      placeholder.setAttribute("data-rc-state", "error");
      console.error(error);
    });
  }

  function purgeDetached() {
    rendered.forEach(function (gd) {
      if (!document.body.contains(gd)) {
        if (resizeObserver) resizeObserver.unobserve(gd);
        if (window.Plotly) window.Plotly.purge(gd);
        rendered.delete(gd);
      }
    });
  }

  function setUp() {
    purgeDetached();
    if (observer) observer.disconnect();
    var placeholders = document.querySelectorAll(".rc-figure__plot");
    if (!placeholders.length) return;
    if (!("IntersectionObserver" in window)) {
      placeholders.forEach(render);
      return;
    }
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          render(entry.target);
        }
      });
    }, { rootMargin: "400px 0px" });
    placeholders.forEach(function (p) { observer.observe(p); });
  }

  if ("ResizeObserver" in window) {
    var pending = null;
    resizeObserver = new ResizeObserver(function (entries) {
      // Batch into one frame: several figures resize together when the sidebar or window changes.
      if (pending) return;
      pending = window.requestAnimationFrame(function () {
        pending = null;
        entries.forEach(function (entry) {
          if (window.Plotly && rendered.has(entry.target)) window.Plotly.Plots.resize(entry.target);
        });
      });
    });
  }

  var lastScheme = null;
  function onSchemeChange() {
    var current = scheme();
    if (current === lastScheme) return;
    lastScheme = current;
    rendered.forEach(applyTheme);
    document.dispatchEvent(new CustomEvent("rc:themechange", { detail: { scheme: current } }));
  }

  function watchScheme() {
    lastScheme = scheme();
    new MutationObserver(onSchemeChange).observe(document.body, {
      attributes: true, attributeFilter: ["data-md-color-scheme"]
    });
  }

  window.rcPlotly = { load: load, themeLayout: themeLayout, applyTheme: applyTheme };

  if (document.body) watchScheme();
  else document.addEventListener("DOMContentLoaded", watchScheme);

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
