// Rewrites the generated sections of docs/api.md (the HTTP route table and the socket actions)
// from the protocol's route table: `pnpm gen:api-doc` (it builds packages/protocol first).
// apps/server/test/api-doc.test.ts fails when the file and the table disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withGeneratedSections } from '../packages/protocol/dist/index.js';

const file = fileURLToPath(new URL('../docs/api.md', import.meta.url));
const before = readFileSync(file, 'utf8');
const after = withGeneratedSections(before);
if (after === before) {
  console.log('docs/api.md is up to date');
} else {
  writeFileSync(file, after);
  console.log('docs/api.md: route table and socket actions rewritten');
}
