import { definePresenceConformance } from '../../conformance/presence.ts';
import { embeddedHarness } from '../../conformance/embedded.ts';

definePresenceConformance('embedded server (live sockets, in-process sweep)', embeddedHarness);
