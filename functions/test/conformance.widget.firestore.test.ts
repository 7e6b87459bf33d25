import { defineWidgetConformance } from '../../conformance/widget.ts';
import { firestoreHarness } from '../../conformance/firestore.ts';

defineWidgetConformance('Firebase (widget transport, customerTickets projection, command callable)', firestoreHarness);
