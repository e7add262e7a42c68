// Print a PDF's text the way pdf.js gives it to a web page (job portals read uploads with it):
// getTextContent() per page, item strings joined, a line break where pdf.js marks an end of line,
// a form feed between pages. Usage: node tests/helpers/pdfjs_text.mjs FILE.pdf
// With --items, print instead what a résumé parser built on pdf.js works from (OpenResume's first
// step): every text item as JSON, with its position, size, end-of-line mark and the font's real
// name (from the page's common objects, where pdf.js keeps it once the page is parsed).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// pdf.js logs (to stdout) that it cannot draw without a canvas package; only text is wanted here.
console.log = console.warn = () => {};
const pdfjs = await import(require.resolve("pdfjs-dist/legacy/build/pdf.mjs"));

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await pdfjs.getDocument({ data, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
const pages = [];
const items = [];
for (let number = 1; number <= pdf.numPages; number += 1) {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
  if (process.argv[3] === "--items") {
    await page.getOperatorList(); // loads the fonts into commonObjs
    for (const item of content.items) {
      if (!("str" in item)) continue;
      const font = page.commonObjs.has(item.fontName) ? page.commonObjs.get(item.fontName) : null;
      items.push({
        text: item.str,
        x: item.transform[4],
        y: item.transform[5],
        width: item.width,
        height: item.height,
        hasEOL: item.hasEOL,
        fontName: font?.name ?? item.fontName,
        page: number,
      });
    }
  }
}
process.stdout.write(process.argv[3] === "--items" ? JSON.stringify(items) : pages.join("\f"));
