// Print a PDF's text items as OpenResume's parser reads them (its first step, read-pdf.ts), with the
// pdf.js release OpenResume pins (3.7.107, installed as "pdfjs-dist-openresume"): text, position,
// size, end-of-line mark and the font's real name, as JSON. Another pdf.js release splits and marks
// items differently, and the parser's results follow the items. Usage: node openresume_items.cjs FILE.pdf
"use strict";
const Module = require("node:module");
const { readFileSync } = require("node:fs");

// pdf.js 3's Node build loads canvas and a Path2D polyfill for drawing; only text is read here.
const stubs = { canvas: { DOMMatrix: class DOMMatrix {} }, "path2d-polyfill": { polyfillPath2D() {} } };
const load = Module._load;
Module._load = function (request, ...rest) {
  return request in stubs ? stubs[request] : load.call(this, request, ...rest);
};
console.log = console.warn = () => {};

const pdfjs = require("pdfjs-dist-openresume/legacy/build/pdf.js");

(async () => {
  const data = new Uint8Array(readFileSync(process.argv[2]));
  const pdf = await pdfjs.getDocument({ data, verbosity: 0 }).promise;
  const items = [];
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    await page.getOperatorList(); // loads the fonts into commonObjs, as OpenResume does
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
  process.stdout.write(JSON.stringify(items));
})();
