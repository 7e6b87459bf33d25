import { defineWidgetConformance } from '../../conformance/widget.ts';
import { embeddedHarness } from '../../conformance/embedded.ts';

defineWidgetConformance('embedded server (widget routes, live socket)', embeddedHarness);
