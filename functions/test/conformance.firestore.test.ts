import { defineConformance } from '../../conformance/suite.ts';
import { firestoreHarness } from '../../conformance/firestore.ts';

defineConformance('Firebase drivers on @firestore-emulator/server (Store port, command function, web SDK listeners)', firestoreHarness);
