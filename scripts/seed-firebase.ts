/**
 * Creates an Atende workspace in a Firebase project (or the emulators):
 *
 *   npx tsx scripts/seed-firebase.ts --project my-project             the demo workspace (logins printed)
 *   npx tsx scripts/seed-firebase.ts --project my-project --admin you@example.com --name "Your Name"
 *                                                                       an empty workspace with its first admin
 *
 * Credentials: Application Default Credentials (`gcloud auth application-default login`,
 * or GOOGLE_APPLICATION_CREDENTIALS=service-account.json). Against the emulators, set
 * FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST (e.g. 127.0.0.1:8080, 127.0.0.1:9099).
 * The admin's password comes from ATENDE_ADMIN_PASSWORD, or one is generated and printed.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createIdGenerator, seedDemo, seedEmpty, DEMO_PASSWORD, type User } from '@atende/core';
import { initializeApp, getApps } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { FirestoreStore } from '../functions/src/store.ts';
import { claimsOf } from '../functions/src/handlers.ts';

export interface SeededLogin {
  email: string;
  password: string;
  role: User['role'];
  name: string;
  uid: string;
}

/** The sign-in account of a users document, with its password and the claims the rules read. */
export const upsertAccount = async (auth: Auth, db: Firestore, uid: string, password: string): Promise<void> => {
  const user = (await db.doc(`users/${uid}`).get()).data() as User | undefined;
  if (!user) throw new Error(`users/${uid} does not exist`);
  const fields = { email: user.email, password, displayName: user.name, disabled: !user.active, emailVerified: true };
  try {
    await auth.updateUser(uid, fields);
  } catch (e) {
    if ((e as { code?: string }).code !== 'auth/user-not-found') throw e;
    // The syncClaims trigger may create the account at the same moment: then update it.
    await auth.createUser({ uid, ...fields }).catch(async (err: unknown) => {
      if ((err as { code?: string }).code !== 'auth/uid-already-exists') throw err;
      await auth.updateUser(uid, fields);
    });
  }
  await auth.setCustomUserClaims(uid, claimsOf(user));
  await db.doc(`claims/${uid}`).set({ uid, updatedAt: Timestamp.now(), role: user.role });
};

const hasWorkspace = async (db: Firestore) => (await db.doc('settings/workspace').get()).exists;

/**
 * The demo workspace `npm start` creates, with Auth accounts for its logins; with `history`, its month of closed
 * tickets too (about 1,100 commands, one transaction each: minutes on a real project, so only when asked).
 */
export const seedFirebaseDemo = async (db: Firestore, auth: Auth, { history = false }: { history?: boolean } = {}): Promise<SeededLogin[]> => {
  const clock = Date.now;
  const logins = await seedDemo({ store: new FirestoreStore(db), clock, newId: createIdGenerator(clock) }, { history });
  for (const login of logins) await upsertAccount(auth, db, login.uid, DEMO_PASSWORD);
  return logins;
};

/** An empty workspace with nobody but its first admin. */
export const seedFirebaseAdmin = async (db: Firestore, auth: Auth, admin: { email: string; name: string; password: string }): Promise<SeededLogin> => {
  const clock = Date.now;
  const user = await seedEmpty({ store: new FirestoreStore(db), clock, newId: createIdGenerator(clock) }, { id: 'admin', name: admin.name, email: admin.email.trim().toLowerCase() });
  await upsertAccount(auth, db, user.id, admin.password);
  return { email: user.email, password: admin.password, role: 'admin', name: user.name, uid: user.id };
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      project: { type: 'string' },
      admin: { type: 'string' },
      name: { type: 'string', default: 'Admin' },
      force: { type: 'boolean', default: false },
      history: { type: 'boolean', default: false },
    },
  });
  const projectId = values.project ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCLOUD_PROJECT;
  if (!projectId) throw new Error('Name the Firebase project: --project <id> (or GOOGLE_CLOUD_PROJECT)');
  // A person's gcloud login (Application Default Credentials) carries no quota project, and Firebase Auth refuses such
  // calls ("end user credentials … not supported by identitytoolkit.googleapis.com"): bill them to the project itself.
  if (!process.env.FIRESTORE_EMULATOR_HOST && !process.env.GOOGLE_APPLICATION_CREDENTIALS) process.env.GOOGLE_CLOUD_QUOTA_PROJECT ??= projectId;
  const app = getApps()[0] ?? initializeApp({ projectId });
  const db = getFirestore(app);
  db.settings({ ignoreUndefinedProperties: true });
  const auth = getAuth(app);
  const target = process.env.FIRESTORE_EMULATOR_HOST ? `the emulators (${process.env.FIRESTORE_EMULATOR_HOST})` : `project ${projectId}`;

  if (values.admin) {
    const password = process.env.ATENDE_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
    if (password.length < 8) throw new Error('ATENDE_ADMIN_PASSWORD must have at least 8 characters');
    const login = await seedFirebaseAdmin(db, auth, { email: values.admin, name: values.name, password });
    console.log(`Admin ready in ${target}: ${login.email} / ${process.env.ATENDE_ADMIN_PASSWORD ? '(the password you gave)' : login.password}`);
    return;
  }
  if ((await hasWorkspace(db)) && !values.force) throw new Error(`${target} already has a workspace; --force seeds the demo over it`);
  const logins = await seedFirebaseDemo(db, auth, { history: values.history });
  console.log(`Demo workspace created in ${target}. Logins (password ${DEMO_PASSWORD}):`);
  for (const l of logins) console.log(`  ${l.role.padEnd(10)} ${l.email}  (${l.name})`);
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
