import { definePhoneConformance } from '../../conformance/phone.ts';
import { embeddedHarness } from '../../conformance/embedded.ts';

definePhoneConformance('embedded server (POST /api/commands, local driver)', embeddedHarness);
