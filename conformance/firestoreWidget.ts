import { PROJECT_ID } from '../functions/test/support/emulator.ts';
import { startFirestoreRest } from '../functions/test/support/firestoreRest.ts';
import { createFirebaseTransport, type VisitorSession } from '../web/src/widget/firebase.ts';
import { restCallable } from '../web/src/widget/callable.ts';
import { firestoreHarness, unsignedIdToken, type FirestoreHarness } from './firestore.ts';
import type { WidgetHarness } from './widget.ts';

/**
 * The Firebase harness plus a visitor's browser: the widget's Firebase
 * transport (Firestore's REST API, in front of the emulator), an anonymous account whose claims are what
 * MemoryAuth holds at each refresh, the widget's own callable client
 * (callable.ts, over fetch) against the real `command` function. (Kept
 * apart from firestore.ts: the bench imports that one, and the widget's
 * modules import core as `@core/…`.)
 */
export const firestoreWidgetHarness = async (): Promise<FirestoreHarness & WidgetHarness> => {
  const h = await firestoreHarness();
  const rest = await startFirestoreRest(h.emulator.db, PROJECT_ID);
  let n = 0;
  return {
    ...h,
    widget() {
      n++;
      let session: VisitorSession | null = null;
      const uid = `anon-${n}-${h.deps.newId()}`;
      return createFirebaseTransport({
        projectId: PROJECT_ID,
        firestoreUrl: rest.url,
        poll: { interval: () => 50 },
        auth: {
          current: async () => session,
          signIn: async () => (session = { uid, claims: {} }),
          refresh: async () => (session &&= { uid, claims: h.auth.claims.get(uid) ?? {} }),
          idToken: async () => (session ? unsignedIdToken(uid, session.claims) : null),
        },
        call: restCallable({ url: h.commandUrl, idToken: async () => (session ? unsignedIdToken(uid, session.claims) : null) }),
        filesBase: 'https://acme.web.app',
        online: () => true,
      });
    },
    async close() {
      await rest.close();
      await h.close();
    },
  };
};
