import { defineReportsConformance } from '../../conformance/reports.ts';
import { firestoreHarness } from '../../conformance/firestore.ts';

defineReportsConformance('Firebase (stats shards on Firestore, Firebase driver)', firestoreHarness);
