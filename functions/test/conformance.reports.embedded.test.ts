import { defineReportsConformance } from '../../conformance/reports.ts';
import { embeddedHarness } from '../../conformance/embedded.ts';

defineReportsConformance('embedded server (stats.range on the live hub)', embeddedHarness);
