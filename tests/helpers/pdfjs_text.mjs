// Print a PDF's text the way pdf.js gives it to a web page (job portals read uploads with it):
// getTextContent() per page, item strings joined, a line break where pdf.js marks an end of line,
// a form feed between pages. Usage: node tests/helpers/pdfjs_text.mjs FILE.pdf
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// pdf.js logs (to stdout) that it cannot draw without a canvas package; only text is wanted here.
console.log = console.warn = () => {};
const pdfjs = await import(require.resolve("pdfjs-dist/legacy/build/pdf.mjs"));

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await pdfjs.getDocument({ data, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
const pages = [];
for (let number = 1; number <= pdf.numPages; number += 1) {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
}
process.stdout.write(pages.join("\f"));
