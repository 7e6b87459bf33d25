import { defineCopilotConformance } from '../../conformance/copilot.ts';
import { embeddedHarness } from '../../conformance/embedded.ts';

defineCopilotConformance('embedded server (POST /api/copilot/:action, local driver)', embeddedHarness);
