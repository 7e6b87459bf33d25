// `npm run indexes`: writes firestore.indexes.json from core's one list of indexes
// (core/src/store/indexes.ts). The SQLite ones need no step: the server creates them at start.
import { writeFileSync } from 'node:fs';
import { firestoreIndexes } from '../core/src/store/indexes.ts';

const path = new URL('../firestore.indexes.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(firestoreIndexes(), null, 2)}\n`);
console.log(`firestore.indexes.json: ${firestoreIndexes().indexes.length} composite indexes from core/src/store/indexes.ts`);
