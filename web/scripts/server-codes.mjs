// Collects the codes the server answers with, from the Rust source (crates/*/src), so the web app
// can check that it translates every one (src/i18n/server-codes.test.ts).
//
//   node scripts/server-codes.mjs           print the sorted lists
//   node scripts/server-codes.mjs --write   write them to src/i18n/server-codes.json
//   node scripts/server-codes.mjs --check   fail when src/i18n/server-codes.json differs
//
// Two kinds of code:
//   errors         the `code` of a JSON error body: the string passed as the code to Refusal::
//                  conflict / conflict_general / invalid, StoreError::conflict / conflict_field,
//                  ValidationError::new, ApiError::new / bad_request (and `Self::new(StatusCode::…`
//                  inside ApiError), `code: "…"` in a Refusal or StoreError literal or pattern, and
//                  the fixed codes of ApiError::unauthorized / forbidden / not_found.
//   usage_reasons  the `reason` of a rejected usage record: the string passed to `rejected(rid, …)`.
// When the code is a variable, the script follows it one step: a closure or fn parameter makes the
// closure or fn a constructor too (its callers are read), and a `let` binding contributes the string
// literals of its value (for a tuple binding, the literals at the variable's position). A code it
// cannot follow is reported on stderr with its place and makes the script exit non-zero, unless it
// only forwards a code that was already collected where it was made (`v.code`, a destructured field).
// Test code is skipped: *_tests.rs, tests.rs, tests/ directories and items under #[cfg(test)].
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(web, '..');
export const codesPath = join(web, 'src/i18n/server-codes.json');

const CODE_RE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** Constructors whose argument at `index` is a code. `prefix` is an optional path before the name. */
const CONSTRUCTORS = [
  { name: 'conflict', prefix: 'Refusal::', index: 0, kind: 'errors' },
  { name: 'conflict_general', prefix: 'Refusal::', optionalPrefix: true, index: 0, kind: 'errors' },
  { name: 'invalid', prefix: 'Refusal::', index: 0, kind: 'errors' },
  { name: 'conflict', prefix: 'StoreError::', index: 0, kind: 'errors' },
  { name: 'conflict_field', prefix: 'StoreError::', optionalPrefix: true, index: 0, kind: 'errors' },
  { name: 'new', prefix: 'ValidationError::', index: 1, kind: 'errors' },
  { name: 'new', prefix: 'ApiError::', index: 1, kind: 'errors' },
  // Inside `impl ApiError`: Self::new(StatusCode::…, "code", …).
  { name: 'new', prefix: 'Self::', index: 1, kind: 'errors', firstArg: /StatusCode::/ },
  { name: 'bad_request', prefix: 'ApiError::', index: 0, kind: 'errors' },
  { name: 'rejected', prefix: '', index: 1, kind: 'usage_reasons' },
];

/** Constructors that always answer the same code. */
const FIXED = [
  { re: /(?<![\w:])(?:ApiError::)unauthorized\s*\(/g, code: 'unauthorized' },
  { re: /(?<![\w:])(?:ApiError|StoreError|Refusal)::forbidden\s*\(/g, code: 'forbidden' },
  { re: /(?<![\w:])(?:ApiError::)?not_found\s*\(/g, code: 'not_found' },
];

/**
 * The source with comments blanked and string and char literals blanked inside their quotes
 * (offsets and line numbers kept), and the literals' values by the offset of their opening quote.
 */
export function mask(src) {
  const out = src.split('');
  const strings = new Map();
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const e = src.indexOf('\n', i);
      const end = e === -1 ? n : e;
      blank(i, end);
      i = end;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (src[j] === '/' && src[j + 1] === '*') (depth++, (j += 2));
        else if (src[j] === '*' && src[j + 1] === '/') (depth--, (j += 2));
        else j++;
      }
      blank(i, j);
      i = j;
    } else if ((c === 'r' || (c === 'b' && next === 'r')) && /^b?r#*"/.test(src.slice(i, i + 260)) && !/\w/.test(src[i - 1] ?? '')) {
      const m = /^b?r(#*)"/.exec(src.slice(i, i + 260));
      const open = i + m[0].length;
      const close = src.indexOf(`"${m[1]}`, open);
      const end = close === -1 ? n : close;
      strings.set(open - 1, src.slice(open, end));
      blank(open, end);
      i = end + 1 + m[1].length;
    } else if (c === '"' || (c === 'b' && next === '"' && !/\w/.test(src[i - 1] ?? ''))) {
      const open = c === '"' ? i + 1 : i + 2;
      let j = open;
      while (j < n && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      strings.set(open - 1, src.slice(open, j));
      blank(open, j);
      i = j + 1;
    } else if (c === "'") {
      // A char literal ('x', '\n', '\u{1F600}', '"') or a lifetime ('a, 'static).
      if (next === '\\') {
        const j = src.indexOf("'", i + 2 + (src[i + 2] === "'" ? 1 : 0));
        blank(i + 1, j);
        i = j + 1;
      } else {
        const cp = src.codePointAt(i + 1);
        const w = cp !== undefined && cp > 0xffff ? 2 : 1;
        if (src[i + 1 + w] === "'") {
          blank(i + 1, i + 1 + w);
          i += 2 + w;
        } else i++;
      }
    } else i++;
  }
  return { masked: out.join(''), strings };
}

/** The offset of the bracket closing the one at `open`, in masked text. */
function closing(masked, open) {
  const pairs = { '(': ')', '[': ']', '{': '}' };
  const stack = [];
  for (let j = open; j < masked.length; j++) {
    const ch = masked[j];
    if (pairs[ch]) stack.push(pairs[ch]);
    else if (ch === ')' || ch === ']' || ch === '}') {
      stack.pop();
      if (stack.length === 0) return j;
    }
  }
  return masked.length;
}

/** The top-level arguments of the call whose `(` is at `open`: [{ from, to }] offsets. */
function args(masked, open) {
  const close = closing(masked, open);
  const out = [];
  let depth = 0;
  let from = open + 1;
  for (let j = open + 1; j < close; j++) {
    const ch = masked[j];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === '|' && depth === 0) {
      // A closure argument: skip its parameter list, whose commas are not ours.
      const k = masked.indexOf('|', j + 1);
      if (k !== -1 && k < close) j = k;
    } else if (ch === ',' && depth === 0) {
      out.push({ from, to: j });
      from = j + 1;
    }
  }
  if (masked.slice(from, close).trim()) out.push({ from, to: close });
  return out;
}

/** The string literal an argument is, if it is exactly one. */
function literal(file, a) {
  const text = file.masked.slice(a.from, a.to);
  const lead = text.length - text.trimStart().length;
  const start = a.from + lead;
  if (!file.masked.startsWith('"', start) || file.masked.slice(start, a.to).trim().length === 0) return undefined;
  const value = file.strings.get(start);
  if (value === undefined) return undefined;
  // The argument is that literal and nothing else (`"x".into()` counts too).
  const rest = file.masked.slice(start + value.length + 2, a.to).trim();
  return rest === '' || /^\.(into|to_string|to_owned)\(\)$/.test(rest) ? value : undefined;
}

const lineOf = (src, at) => src.slice(0, at).split('\n').length;

/** Offsets ranges [from, to) of items under #[cfg(test)]. */
function testRanges(masked) {
  const out = [];
  for (const m of masked.matchAll(/#\[cfg\(test\)\]/g)) {
    const from = m.index;
    let j = from + m[0].length;
    while (j < masked.length && masked[j] !== '{' && masked[j] !== ';') j++;
    out.push({ from, to: masked[j] === '{' ? closing(masked, j) + 1 : j + 1 });
  }
  return out;
}

function rustFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'tests') out.push(...rustFiles(p));
    } else if (name.endsWith('.rs') && name !== 'tests.rs' && !name.endsWith('_tests.rs')) out.push(p);
  }
  return out;
}

function callRegex(c) {
  const prefix = c.prefix.replace(/:/g, '\\:');
  const p = c.prefix ? (c.optionalPrefix ? `(?:${prefix})?` : prefix) : '';
  // Any path before it (`quan_domain::ValidationError::new`) is allowed.
  return new RegExp(`(?<![\\w:])(?:\\w+::)*${p}${c.name}\\s*\\(`, 'g');
}

/** Where the variable `name` used at `at` comes from: a closure/fn parameter or a let binding. */
function origin(file, name, at) {
  const before = file.masked.slice(0, at);
  // The nearest enclosing closure with that parameter, bound by `let f = |…|`.
  const closures = [...before.matchAll(/let\s+(\w+)\s*=\s*(?:move\s*)?\|([^|]*)\|/g)];
  for (const m of closures.reverse()) {
    const params = m[2].split(',').map((s) => s.split(':')[0].trim());
    const idx = params.indexOf(name);
    if (idx !== -1) return { kind: 'wrapper', name: m[1], index: idx };
  }
  // The nearest let binding of it: `let name = …;` or `let (…, name, …) = …;`.
  const lets = [...before.matchAll(/let\s+(?:mut\s+)?(\(([^)]*)\)|\w+)\s*(?::[^=]*)?=/g)];
  for (const m of lets.reverse()) {
    const names = m[2] !== undefined ? m[2].split(',').map((s) => s.trim().replace(/^mut\s+/, '')) : [m[1]];
    const idx = names.indexOf(name);
    if (idx === -1) continue;
    let end = m.index + m[0].length;
    let depth = 0;
    for (; end < file.masked.length; end++) {
      const ch = file.masked[end];
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth--;
      else if (ch === ';' && depth === 0) break;
    }
    return { kind: 'let', from: m.index + m[0].length, to: end, tuple: m[2] !== undefined ? { index: idx, arity: names.length } : null };
  }
  // The nearest enclosing fn with that parameter.
  const fns = [...before.matchAll(/fn\s+(\w+)\s*(?:<[^>]*>)?\s*\(/g)];
  for (const m of fns.reverse()) {
    const open = m.index + m[0].length - 1;
    const params = args(file.masked, open).map((a) => file.masked.slice(a.from, a.to).split(':')[0].trim().replace(/^mut\s+/, ''));
    const idx = params.indexOf(name);
    if (idx !== -1) return { kind: 'wrapper', name: m[1], index: idx, fn: true };
    break;
  }
  return null;
}

/** The codes a let binding's value can give its variable. */
function letCodes(file, o) {
  const codes = [];
  if (!o.tuple) {
    for (const [at, v] of file.strings) if (at >= o.from && at < o.to && CODE_RE.test(v)) codes.push(v);
    return codes;
  }
  for (let j = o.from; j < o.to; j++) {
    if (file.masked[j] !== '(') continue;
    const as = args(file.masked, j);
    if (as.length !== o.tuple.arity) continue;
    const v = literal(file, as[o.tuple.index]);
    if (v !== undefined && CODE_RE.test(v)) codes.push(v);
  }
  return codes;
}

/** Collects the codes; `problems` lists the places whose code could not be followed. */
export function collect(root = repoRoot) {
  const crates = join(root, 'crates');
  const files = readdirSync(crates)
    .map((c) => join(crates, c, 'src'))
    .filter((d) => existsSync(d))
    .flatMap(rustFiles)
    .sort()
    .map((path) => {
      const src = readFileSync(path, 'utf8');
      const { masked, strings } = mask(src);
      const tests = testRanges(masked);
      return { path, rel: relative(root, path), src, masked, strings, tests };
    });
  const found = { errors: new Set(), usage_reasons: new Set() };
  const problems = [];
  const inTest = (f, at) => f.tests.some((r) => at >= r.from && at < r.to);

  // Constructors per file: the global ones, plus wrappers found in that file (or, for a fn
  // wrapper, in every file: a pub fn can be called from anywhere).
  const global = CONSTRUCTORS.map((c) => ({ ...c, re: callRegex(c) }));
  const local = new Map(files.map((f) => [f.path, []]));
  const seenWrappers = new Set();
  let queue = files.map((f) => ({ file: f, ctors: global }));
  while (queue.length) {
    const next = [];
    for (const { file: f, ctors } of queue) {
      for (const c of ctors) {
        for (const m of f.masked.matchAll(c.re)) {
          if (inTest(f, m.index)) continue;
          if (/fn\s+$/.test(f.masked.slice(Math.max(0, m.index - 16), m.index))) continue;
          const open = m.index + m[0].length - 1;
          const as = args(f.masked, open);
          if (c.firstArg && !(as[0] && c.firstArg.test(f.masked.slice(as[0].from, as[0].to)))) continue;
          const a = as[c.index];
          if (!a) continue;
          const where = `${f.rel}:${lineOf(f.src, m.index)}`;
          const v = literal(f, a);
          if (v !== undefined) {
            if (CODE_RE.test(v)) found[c.kind].add(v);
            else problems.push(`${where}: ${JSON.stringify(v)} is not a snake_case code`);
            continue;
          }
          const expr = f.masked.slice(a.from, a.to).trim();
          // A field (`v.code`, `r.code`) forwards a code made elsewhere.
          if (/^[\w.]+\.code$/.test(expr)) continue;
          if (!/^\w+$/.test(expr)) {
            problems.push(`${where}: cannot read the code of ${m[0]}…) from \`${expr}\``);
            continue;
          }
          const o = origin(f, expr, m.index);
          if (o?.kind === 'let') {
            const codes = letCodes(f, o);
            if (codes.length === 0) problems.push(`${where}: \`${expr}\` is bound to no string literal`);
            for (const v2 of codes) found[c.kind].add(v2);
          } else if (o?.kind === 'wrapper') {
            const key = `${o.fn ? '*' : f.path}|${o.name}|${o.index}|${c.kind}`;
            if (seenWrappers.has(key)) continue;
            seenWrappers.add(key);
            const w = { name: o.name, prefix: '', index: o.index, kind: c.kind };
            const wc = { ...w, re: callRegex(w) };
            if (o.fn) for (const g of files) next.push({ file: g, ctors: [wc] });
            else next.push({ file: f, ctors: [wc] });
            local.get(f.path).push(wc);
          } else if (isDestructured(f, expr, m.index)) {
            // `StoreError::Conflict { code, .. } => ApiError::new(…, code, …)`: forwarded.
          } else problems.push(`${where}: cannot tell where \`${expr}\` comes from`);
        }
      }
    }
    queue = next;
  }
  for (const f of files) {
    for (const m of f.masked.matchAll(/(?<![\w.])code:\s*"/g)) {
      if (inTest(f, m.index)) continue;
      const at = m.index + m[0].length - 1;
      const v = f.strings.get(at);
      if (v !== undefined && CODE_RE.test(v)) found.errors.add(v);
    }
    for (const fx of FIXED)
      for (const m of f.masked.matchAll(fx.re))
        if (!inTest(f, m.index) && !/fn\s+$/.test(f.masked.slice(Math.max(0, m.index - 16), m.index))) found.errors.add(fx.code);
  }
  return {
    codes: { errors: [...found.errors].sort(), usage_reasons: [...found.usage_reasons].sort() },
    problems,
  };
}

/** Whether `name` at `at` is bound by a struct pattern in a match arm (`Variant { name, .. } =>`). */
function isDestructured(file, name, at) {
  const before = file.masked.slice(Math.max(0, at - 600), at);
  return new RegExp(`\\{[^{}]*\\b${name}\\b[^{}]*\\}\\s*(?:\\)\\s*)?=>`).test(before);
}

export function render(codes) {
  return `${JSON.stringify(codes, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { codes, problems } = collect();
  for (const p of problems) console.error(`server-codes: ${p}`);
  const mode = process.argv[2];
  if (mode === '--write') {
    writeFileSync(codesPath, render(codes));
    console.log(`wrote ${relative(repoRoot, codesPath)}: ${codes.errors.length} error codes, ${codes.usage_reasons.length} usage rejection reasons`);
  } else if (mode === '--check') {
    const committed = existsSync(codesPath) ? readFileSync(codesPath, 'utf8') : '';
    if (committed !== render(codes)) {
      console.error(`${relative(repoRoot, codesPath)} is stale; regenerate it with: cd web && node scripts/server-codes.mjs --write`);
      process.exit(1);
    }
    console.log(`${relative(repoRoot, codesPath)} matches the Rust source`);
  } else {
    console.log('# error codes (the code of a JSON error)');
    for (const c of codes.errors) console.log(c);
    console.log('\n# usage rejection reasons (UsageResult.reason)');
    for (const c of codes.usage_reasons) console.log(c);
  }
  if (problems.length) process.exit(2);
}
