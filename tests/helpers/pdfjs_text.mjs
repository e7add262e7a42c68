// Print a PDF's text the way pdf.js gives it to a web page (job portals read uploads with it):
// getTextContent() per page, item strings joined, a line break where pdf.js marks an end of line,
// a form feed between pages. Usage: node tests/helpers/pdfjs_text.mjs FILE.pdf
// With --items, print instead what a résumé parser built on pdf.js works from (OpenResume's first
// step): every text item as JSON, with its position, size, end-of-line mark and the font's real
// name (from the page's common objects, where pdf.js keeps it once the page is parsed).
// With --items --openresume, read with the pdf.js release OpenResume pins (3.7.107, installed as
// "pdfjs-dist-openresume") and its options, as OpenResume's read-pdf.ts does: another release
// splits and marks items differently, and that parser's results follow its items.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// pdf.js logs (to stdout) that it cannot draw without a canvas package; only text is wanted here.
console.log = console.warn = () => {};
const openresume = process.argv.includes("--openresume");
const pdfjs = openresume ? pdfjs3() : await import(require.resolve("pdfjs-dist/legacy/build/pdf.mjs"));
const options = openresume ? { verbosity: 0 } : { useSystemFonts: false, disableFontFace: true, verbosity: 0 };

function pdfjs3() {
  // pdf.js 3's Node build loads canvas and a Path2D polyfill for drawing; only text is read here.
  const Module = require("node:module");
  const stubs = { canvas: { DOMMatrix: class DOMMatrix {} }, "path2d-polyfill": { polyfillPath2D() {} } };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request in stubs ? stubs[request] : load.call(this, request, ...rest);
  };
  return require("pdfjs-dist-openresume/legacy/build/pdf.js");
}

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await pdfjs.getDocument({ data, ...options }).promise;
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
