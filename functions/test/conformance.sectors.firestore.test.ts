import { defineSectorConformance } from '../../conformance/sectors.ts';
import { firestoreHarness } from '../../conformance/firestore.ts';

defineSectorConformance('Firebase (emulator)', firestoreHarness);
