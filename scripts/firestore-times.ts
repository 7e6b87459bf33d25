/**
 * Re-stores every time Firestore still keeps as epoch milliseconds as a
 * Firestore timestamp (functions/src/upgradeTimes.ts). Run it once after
 * deploying the version that stores timestamps (docs/firebase.md); running it
 * again changes nothing.
 *
 *   npm run firestore:times -- --project my-project
 *
 * Credentials as for scripts/seed-firebase.ts (Application Default Credentials,
 * or FIRESTORE_EMULATOR_HOST against the emulator).
 */
import { parseArgs } from 'node:util';
import { initializeApp, getApps } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { upgradeStoredTimes } from '../functions/src/upgradeTimes.ts';

const main = async () => {
  const { values } = parseArgs({ options: { project: { type: 'string' } } });
  const projectId = values.project ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCLOUD_PROJECT;
  if (!projectId) throw new Error('Name the Firebase project: --project <id> (or GOOGLE_CLOUD_PROJECT)');
  const db = getFirestore(getApps()[0] ?? initializeApp({ projectId }));
  const counts = await upgradeStoredTimes(db, (line) => console.log(line));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(total === 0 ? 'Every time is already a Firestore timestamp.' : `${total} document(s) now keep their times as Firestore timestamps.`);
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
