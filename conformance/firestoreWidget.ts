import { initializeApp as initializeWebApp, deleteApp as deleteWebApp, type FirebaseApp } from 'firebase/app';
import { connectFirestoreEmulator, getFirestore as getWebFirestore, terminate } from 'firebase/firestore';
import { PROJECT_ID } from '../functions/test/support/emulator.ts';
import { createFirebaseTransport, type VisitorSession } from '../web/src/widget/firebase.ts';
import { firestoreHarness, type FirestoreHarness } from './firestore.ts';
import type { WidgetHarness } from './widget.ts';

/**
 * The Firebase harness plus a visitor's browser: the widget's Firebase
 * transport on the web SDK, an anonymous account whose claims are what
 * MemoryAuth holds at each refresh, the `command` callable over HTTP. (Kept
 * apart from firestore.ts: the bench imports that one, and the widget's
 * modules import core as `@core/…`.)
 */
export const firestoreWidgetHarness = async (): Promise<FirestoreHarness & WidgetHarness> => {
  const h = await firestoreHarness();
  const apps: FirebaseApp[] = [];
  let n = 0;
  return {
    ...h,
    widget() {
      const app = initializeWebApp({ projectId: PROJECT_ID, apiKey: 'test-api-key' }, `widget-visitor-${++n}`);
      apps.push(app);
      const db = getWebFirestore(app);
      connectFirestoreEmulator(db, '127.0.0.1', h.emulator.port);
      let session: VisitorSession | null = null;
      const uid = `anon-${n}-${h.deps.newId()}`;
      return createFirebaseTransport({
        app,
        db,
        auth: {
          current: async () => session,
          signIn: async () => (session = { uid, claims: {} }),
          refresh: async () => (session &&= { uid, claims: h.auth.claims.get(uid) ?? {} }),
        },
        call: h.callAs(() => session),
        filesBase: 'https://acme.web.app',
        online: () => true,
      });
    },
    async close() {
      await Promise.allSettled(
        apps.map(async (a) => {
          await terminate(getWebFirestore(a));
          await deleteWebApp(a);
        }),
      );
      await h.close();
    },
  };
};
