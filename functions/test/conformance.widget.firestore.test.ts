import { defineWidgetConformance } from '../../conformance/widget.ts';
import { firestoreWidgetHarness } from '../../conformance/firestoreWidget.ts';

defineWidgetConformance('Firebase (widget transport, customerTickets projection, command callable)', firestoreWidgetHarness);
