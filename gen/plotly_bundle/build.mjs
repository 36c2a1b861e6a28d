// Build the site's plotly.js (index.js: core + scatter, bar, heatmap, contour) into one
// minified classic script that defines window.Plotly, as the cartesian dist did.
//
//   node gen/plotly_bundle/build.mjs OUTFILE        (make vendor: docs/vendor/plotly/plotly.min.js)
//
// The bytes depend only on index.js, this file and the packages in package-lock.json: not on
// the checkout's path, the working directory, the environment or the time (the test
// tests/site/test_plotly_bundle.py builds twice, in two places, and compares).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

const [outfile, ...rest] = process.argv.slice(2);
if (!outfile || rest.length) {
    console.error('usage: node gen/plotly_bundle/build.mjs OUTFILE');
    process.exit(2);
}

const plotly = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/plotly.js/package.json'), 'utf8'));
// The trace types index.js registers, for the bundle's first line.
const traces = [...fs.readFileSync(path.join(HERE, 'index.js'), 'utf8')
    .matchAll(/require\('plotly\.js\/lib\/(\w+)'\)/g)].map((m) => m[1]).filter((name) => name !== 'core');

// plotly.js's own dist build strips the attributes' documentation (tasks/compress_attributes.js):
// nothing reads it at run time, and it is 146 KB of this bundle (44 KB gzipped). These are its
// patterns that match anything in 4.1.1 (its `role` and `hrName` patterns match nothing), with
// the join's arguments matched across lines (4.1.1's sources break `.join(\n' '\n)`), applied
// to plotly.js's sources only (they match nothing in its dependencies either).
const META = [
    /\s*description: '.*',?/g,                              // description: 'one line'
    /\s*description: \[[\s\S]*?\]\.join\([\s\S]*?\),?/g,   // description: [...].join(' ')
    /\s*requiredOpts: \[[\s\S]*?\],?/g,
    /\s*otherOpts: \[[\s\S]*?\],?/g,
];
const stripAttributeDocs = {
    name: 'strip-attribute-docs',
    setup(b) {
        const sources = /[\\/]node_modules[\\/]plotly\.js[\\/]src[\\/].*\.js$/;
        b.onLoad({ filter: sources }, async ({ path: file }) => {
            let contents = await fs.promises.readFile(file, 'utf8');
            for (const pattern of META) contents = contents.replace(pattern, '');
            return { contents, loader: 'js' };
        });
    },
};

const result = await build({
    // Paths in the build are relative to the project, wherever it is checked out.
    absWorkingDir: ROOT,
    entryPoints: ['gen/plotly_bundle/index.js'],
    // Only names the output inside the build; the bytes are written below, to OUTFILE.
    outfile: 'plotly.min.js',
    write: false,
    bundle: true,
    // A classic script whose top-level `var Plotly` is window.Plotly: figures.js, the
    // Playground, gen/previews.py and gen/statics.py load it with a <script> and use window.Plotly.
    format: 'iife',
    globalName: 'Plotly',
    platform: 'browser',
    // The dist's language level (plotly.js's esbuild-config.js), so the bundle runs wherever
    // the dist did.
    target: 'es2016',
    minify: true,
    // As plotly.js's esbuild-config.js: has-hover and native-promise-only read `global`; the
    // UMD wrappers of d3 and its helpers must not take an AMD loader on the page (Jupyter's
    // require.js) for the bundle's own module system.
    define: { global: 'window', 'define.amd': 'false' },
    // src/registry.js imports maplibre-gl's stylesheet, but only runs the import when a `map`
    // trace is registered: an empty module instead (plotly's build inlines it: 83 KB).
    loader: { '.css': 'empty' },
    plugins: [stripAttributeDocs],
    banner: { js: `/* plotly.js v${plotly.version} (MIT, see LICENSE): core + ${traces.join(', ')}.`
                  + ' Built by gen/plotly_bundle/build.mjs */' },
    logLevel: 'warning',
});

// One output, the script: anything else (a stylesheet, a chunk) is a change this file must handle.
if (result.outputFiles.length !== 1) {
    throw new Error(`expected one output, got ${result.outputFiles.map((f) => f.path).join(', ')}`);
}
const code = result.outputFiles[0].contents;
// Nothing of Node's may remain: the browser has no `process` (plotly's build replaced
// process.env.NODE_DEBUG, which none of these four trace types reads).
if (Buffer.from(code).includes('process.env')) throw new Error('the bundle reads process.env');

fs.mkdirSync(path.dirname(path.resolve(outfile)), { recursive: true });
const tmp = `${outfile}.tmp`;
fs.writeFileSync(tmp, code);
fs.renameSync(tmp, outfile);   // never a half-written bundle, even if interrupted
console.log(`${outfile}: plotly.js ${plotly.version}, ${code.length} bytes`);
