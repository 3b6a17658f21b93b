// Validates an AsyncAPI document with the official parser (@asyncapi/parser, pinned in package.json).
//   node local/asyncapi/validate.mjs docs/asyncapi.json
// Prints every diagnostic; exits 1 when any has severity error (0), 2 when the file cannot be read.
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";

const SEVERITY = ["error", "warning", "info", "hint"];
const path = process.argv[2];
if (!path) {
  console.error("usage: node validate.mjs <asyncapi.json>");
  process.exit(2);
}
let text;
try {
  text = await readFile(path, "utf8");
} catch (err) {
  console.error(`cannot read ${path}: ${err.message}`);
  process.exit(2);
}
const { document, diagnostics } = await new Parser().parse(text, { source: path });
let errors = 0;
for (const d of diagnostics) {
  if (d.severity === 0) errors += 1;
  console.log(`${SEVERITY[d.severity] ?? d.severity}\t${d.code}\t${(d.path || []).join(".")}\t${d.message}`);
}
if (errors || !document) {
  console.error(`${path}: ${errors} error(s)`);
  process.exit(1);
}
console.log(`${path}: valid AsyncAPI ${document.version()} (${diagnostics.length} non-error diagnostic(s))`);
