import { defineSectorConformance } from '../../conformance/sectors.ts';
import { embeddedHarness } from '../../conformance/embedded.ts';

defineSectorConformance('embedded server', embeddedHarness);
