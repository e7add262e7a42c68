// Like pdfjs_text.mjs, for many PDFs in one Node process (a test reading dozens of files pays for
// pdf.js's start once): prints a JSON object, file → its text as pdfjs_text.mjs prints it.
// Usage: node tests/helpers/pdfjs_texts.mjs FILE.pdf...
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const print = process.stdout.write.bind(process.stdout);
console.log = console.warn = () => {};
const pdfjs = await import(require.resolve("pdfjs-dist/legacy/build/pdf.mjs"));

const texts = {};
for (const file of process.argv.slice(2)) {
  const data = new Uint8Array(await readFile(file));
  const pdf = await pdfjs.getDocument({ data, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages = [];
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
  }
  texts[file] = pages.join("\f");
  await pdf.destroy();
}
print(JSON.stringify(texts));
