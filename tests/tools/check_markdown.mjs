// Checks a Markdown report as GitHub would show it: renders it with
// markdown-it (tables, raw <br> and <sub> as GitHub allows) and parses every
// ```mermaid block with Mermaid's own parser. Usage:
//   node check_markdown.mjs NODE_MODULES_DIR FILE.md
// Prints one line per problem and "ok: N tables, M mermaid graphs" when
// there is none; exit 0 only then.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [modules, file] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), 'resolver.js'));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);

const { JSDOM } = await load('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const MarkdownIt = (await load('markdown-it')).default;
const mermaid = (await load('mermaid')).default;
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

const text = readFileSync(file, 'utf8');
const problems = [];
if (text.length > 65536) problems.push(`too long for a comment: ${text.length} characters`);
const md = new MarkdownIt({ html: true, linkify: false });
const tokens = md.parse(text, {});
const rendered = md.renderer.render(tokens, md.options, {});
const tables = tokens.filter((t) => t.type === 'table_open').length;
// Every row of a table has as many cells as its header.
let columns = 0, cells = 0;
for (const t of tokens) {
  if (t.type === 'tr_open') cells = 0;
  if (t.type === 'th_open' || t.type === 'td_open') cells++;
  if (t.type === 'tr_close') {
    if (columns === 0) columns = cells;
    else if (cells !== columns) problems.push(`a table row has ${cells} cells, the header ${columns}`);
  }
  if (t.type === 'table_close') columns = 0;
}
const fences = tokens.filter((t) => t.type === 'fence');
let graphs = 0;
for (const f of fences) {
  if (f.info.trim() !== 'mermaid') continue;
  graphs++;
  try {
    await mermaid.parse(f.content);
  } catch (e) {
    problems.push(`mermaid: ${String(e.message || e).split('\n').slice(0, 3).join(' ')}`);
  }
}
// Nothing may be left open: a fence that swallowed the rest would show up
// as a fence reaching the end of the text.
const unclosed = fences.filter((f) => f.map && f.map[1] >= text.split('\n').length && !text.trimEnd().endsWith('```'));
if (unclosed.length) problems.push('a code fence is not closed');
if (/<script|javascript:/i.test(rendered)) problems.push('the rendered HTML holds script');
for (const p of problems) console.log(p);
if (problems.length === 0) console.log(`ok: ${tables} tables, ${graphs} mermaid graphs`);
process.exit(problems.length ? 1 : 0);
