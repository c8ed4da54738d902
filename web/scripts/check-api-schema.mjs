// Fails when src/api/schema.d.ts is not what `npm run gen:api` makes from src/api/openapi.json
// (the server's committed OpenAPI document): generate again with the same code (scripts/api-schema.mjs)
// and compare byte for byte. Run by `npm run build`, so a stale schema cannot ship.
import { existsSync, readFileSync } from 'node:fs';
import { generateSchema, schemaPath } from './api-schema.mjs';

const fix = 'cd web && npm run gen:api';

if (!existsSync(schemaPath)) {
  console.error(`src/api/schema.d.ts is missing. Generate it with: ${fix}`);
  process.exit(1);
}
const committed = readFileSync(schemaPath, 'utf8');
const fresh = await generateSchema();
if (committed !== fresh) {
  const al = committed.split('\n');
  const bl = fresh.split('\n');
  let i = 0;
  while (i < al.length && i < bl.length && al[i] === bl[i]) i++;
  console.error(`src/api/schema.d.ts is stale: it differs from what src/api/openapi.json generates (first at line ${i + 1}).`);
  console.error(`  committed: ${JSON.stringify(al[i] ?? '<end of file>')}`);
  console.error(`  generated: ${JSON.stringify(bl[i] ?? '<end of file>')}`);
  console.error(`Regenerate it with: ${fix}`);
  process.exit(1);
}
console.log('src/api/schema.d.ts matches src/api/openapi.json');
