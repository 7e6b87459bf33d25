import { defineCopilotConformance } from '../../conformance/copilot.ts';
import { firestoreHarness } from '../../conformance/firestore.ts';

defineCopilotConformance('Firebase (copilot callable, Firestore)', firestoreHarness);
