// Fails when src/api/schema.d.ts is not what `npm run gen:api` makes from src/api/openapi.json
// (the server's committed OpenAPI document): regenerate into a temp file with the same generator and
// options, then compare byte for byte. Run by `npm run build`, so a stale schema cannot ship.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec = join(web, 'src/api/openapi.json');
const committed = join(web, 'src/api/schema.d.ts');
const cli = join(web, 'node_modules/openapi-typescript/bin/cli.js');
const fix = 'cd web && npm run gen:api';

const dir = mkdtempSync(join(tmpdir(), 'quan-schema-'));
try {
  const fresh = join(dir, 'schema.d.ts');
  // Same arguments as the gen:api script in package.json (the output path does not reach the file).
  execFileSync(process.execPath, [cli, spec, '-o', fresh], { cwd: web, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(committed)) {
    console.error(`src/api/schema.d.ts is missing. Generate it with: ${fix}`);
    process.exit(1);
  }
  const a = readFileSync(committed);
  const b = readFileSync(fresh);
  if (!a.equals(b)) {
    const al = a.toString('utf8').split('\n');
    const bl = b.toString('utf8').split('\n');
    let i = 0;
    while (i < al.length && i < bl.length && al[i] === bl[i]) i++;
    console.error(`src/api/schema.d.ts is stale: it differs from what src/api/openapi.json generates (first at line ${i + 1}).`);
    console.error(`  committed: ${JSON.stringify(al[i] ?? '<end of file>')}`);
    console.error(`  generated: ${JSON.stringify(bl[i] ?? '<end of file>')}`);
    console.error(`Regenerate it with: ${fix}`);
    process.exit(1);
  }
  console.log('src/api/schema.d.ts matches src/api/openapi.json');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
