// Run only the new steps, by extracting them from run.mjs.
import { readFileSync, writeFileSync } from 'node:fs';
const src = readFileSync(new URL('./run.mjs', import.meta.url), 'utf8');
const start = src.indexOf('  // ── Data resource registration');
const end = src.indexOf("  await step('screenshots of every main page in zh and en'");
const head = src.slice(0, src.indexOf('  const pub = await context(\'public\');'));
const mainStart = head;
let out = mainStart + `  const pub = await context('public');\n  const ent = await context('enterprise');\n  const rev = await context('reviewer');\n  await login(ent, 'enterprise');\n  await login(rev, 'reviewer');\n` + src.slice(start, end) + `  await browser.close();\n  const failed = results.filter((r) => !r.ok);\n  console.log(\`\\n\${results.length - failed.length} passed, \${failed.length} failed\`);\n  process.exit(failed.length ? 1 : 0);\n}\nmain();\n`;
writeFileSync(new URL('./_run_new.mjs', import.meta.url), out);
