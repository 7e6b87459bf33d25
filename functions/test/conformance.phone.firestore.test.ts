import { definePhoneConformance } from '../../conformance/phone.ts';
import { firestoreHarness } from '../../conformance/firestore.ts';

definePhoneConformance('Firebase (command callable, Firestore)', firestoreHarness);
