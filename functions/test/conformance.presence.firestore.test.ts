import { definePresenceConformance } from '../../conformance/presence.ts';
import { firestoreHarness } from '../../conformance/firestore.ts';

definePresenceConformance('Firebase (heartbeat documents, presenceSweep function)', firestoreHarness);
