// Renders TeX to HTML with the project's pinned KaTeX (node_modules/katex), for hooks/katex.py.
// stdin: JSON [{tex, display}, ...]; stdout: JSON [html, ...]. A formula KaTeX cannot parse
// exits non-zero with its message, so the strict build fails instead of shipping red text.
"use strict";
const path = require("path");
const katex = require(path.join(__dirname, "..", "node_modules", "katex"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const items = JSON.parse(input);
  const out = items.map(({ tex, display }) => {
    try {
      return katex.renderToString(tex, { displayMode: display, throwOnError: true, output: "htmlAndMathml" });
    } catch (error) {
      process.stderr.write(`KaTeX cannot render ${JSON.stringify(tex)}: ${error.message}\n`);
      process.exit(1);
    }
  });
  process.stdout.write(JSON.stringify(out));
});
