import { defineConformance } from '../../conformance/suite.ts';
import { embeddedHarness } from '../../conformance/embedded.ts';

defineConformance('embedded server (Fastify + SQLite, local driver)', embeddedHarness);
