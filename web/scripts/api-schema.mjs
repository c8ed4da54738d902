// Generates src/api/schema.d.ts from src/api/openapi.json (the server's committed OpenAPI document)
// with openapi-typescript, the same generator and defaults as its CLI. Used by `npm run gen:api`
// (writes the file) and by scripts/check-api-schema.mjs (compares, run by `npm run build`).
//
// One repair is made on the way in: openapi-typescript files each operation under its operationId
// in `operations` and points `paths` at it, so two operations sharing an id collapse into one type
// (the first wins; TypeScript reports the duplicates only with skipLibCheck off). An operationId
// that the document repeats is therefore dropped from those operations, which the generator then
// writes inline under their path, and the repeats are named on stderr. The document should give
// every operation its own id; once it does, this changes nothing.
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { createConfig } from '@redocly/openapi-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const web = join(dirname(fileURLToPath(import.meta.url)), '..');
export const specPath = join(web, 'src/api/openapi.json');
export const schemaPath = join(web, 'src/api/schema.d.ts');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** operationId → ["GET /path", …] for every id the document gives to more than one operation. */
export function repeatedOperationIds(spec) {
  const seen = new Map();
  for (const [path, item] of Object.entries(spec.paths ?? {}))
    for (const m of METHODS) {
      const id = item?.[m]?.operationId;
      if (id) seen.set(id, [...(seen.get(id) ?? []), `${m.toUpperCase()} ${path}`]);
    }
  return new Map([...seen].filter(([, ops]) => ops.length > 1));
}

/** The document with repeated operationIds removed (a copy; the input is left alone). */
export function withUniqueOperationIds(spec) {
  const repeated = repeatedOperationIds(spec);
  if (repeated.size === 0) return spec;
  const copy = structuredClone(spec);
  for (const item of Object.values(copy.paths ?? {}))
    for (const m of METHODS) if (item?.[m] && repeated.has(item[m].operationId)) delete item[m].operationId;
  return copy;
}

/** The text schema.d.ts should hold. */
export async function generateSchema({ quiet = false } = {}) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const repeated = repeatedOperationIds(spec);
  if (repeated.size && !quiet) {
    console.warn('openapi.json repeats operationIds; those operations are typed inline under their paths:');
    for (const [id, ops] of repeated) console.warn(`  ${id}: ${ops.join(', ')}`);
  }
  const redocly = await createConfig({}, { extends: ['minimal'] });
  // The CLI's defaults: no flags, the minimal Redocly config (the repository has no redocly.yaml).
  const ast = await openapiTS(withUniqueOperationIds(spec), { redocly, silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

// `node scripts/api-schema.mjs` writes the file (npm run gen:api).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaPath, await generateSchema(), 'utf8');
  console.log('src/api/openapi.json → src/api/schema.d.ts');
}
