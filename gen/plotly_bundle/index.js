'use strict';

// The site's plotly.js: plotly.js's core plus the four trace types the site draws
// (README.md says why these four and how to add one). Same shape, and the same order, as
// plotly.js/lib/index-cartesian.js, the entry of the cartesian dist this bundle replaces.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    // Every figure's lines and markers, the Playground's paths. Core registers scatter
    // already; listed so that this file names every trace type the site relies on.
    require('plotly.js/lib/scatter'),
    // Step counts side by side (fig-ablation, the update-rules notebook).
    require('plotly.js/lib/bar'),
    // The maps over a grid of settings (fig-sweep, fig-alignment, fig-map-kappa-tol).
    require('plotly.js/lib/heatmap'),
    // The loss surfaces (figures, notebooks, the Playground's contour plot).
    require('plotly.js/lib/contour'),
]);

module.exports = Plotly;
