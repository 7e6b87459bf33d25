import { defineWhatsAppConformance } from '../../conformance/whatsapp.ts';
import { firestoreHarness } from '../../conformance/firestore.ts';
import { channelCarriers } from '../src/channels.ts';

defineWhatsAppConformance('Firebase (webhooks function, outbox trigger, Firestore)', () => firestoreHarness({ carriers: channelCarriers }));
