/**
 * Moves the receipts of a project deployed before issue 15's write cut onto
 * their messages (functions/src/upgradeReceipts.ts). Run it once right after
 * deploying that version (docs/firebase.md); running it again changes nothing.
 *
 *   npm run firestore:receipts -- --project my-project
 *
 * Credentials as for scripts/seed-firebase.ts (Application Default Credentials,
 * or FIRESTORE_EMULATOR_HOST against the emulator).
 */
import { parseArgs } from 'node:util';
import { initializeApp, getApps } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { moveReceiptsOntoMessages } from '../functions/src/upgradeReceipts.ts';

const main = async () => {
  const { values } = parseArgs({ options: { project: { type: 'string' } } });
  const projectId = values.project ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCLOUD_PROJECT;
  if (!projectId) throw new Error('Name the Firebase project: --project <id> (or GOOGLE_CLOUD_PROJECT)');
  const db = getFirestore(getApps()[0] ?? initializeApp({ projectId }));
  const { moved, orphans } = await moveReceiptsOntoMessages(db, (line) => console.log(line));
  console.log(moved + orphans === 0 ? 'No receipts left: nothing to move.' : `${moved} receipt(s) now live on their messages.`);
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
