import { defineWhatsAppConformance } from '../../conformance/whatsapp.ts';
import { embeddedHarness } from '../../conformance/embedded.ts';

defineWhatsAppConformance('embedded server (POST /webhooks/whatsapp, local driver)', embeddedHarness);
