import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WHATSAPP } from '@atende/core';
import type { FakeWhatsApp } from '../src/simulator/fakeGraph.ts';
import { api, startServer, type TestServer } from './helpers.ts';

/**
 * The simulator's phone (/simulator/whatsapp) as a tester drives it: it names
 * the business by its channel, and it can make the business's replies fail
 * the two ways Meta does — accepted then reported failed (131047), or
 * refused outright (401) — so the console's failed states can be seen.
 */
const SUPORTE = DEMO_WHATSAPP.numbers[1];
const CUSTOMER = '5511955552222';
let server: TestServer;
let fake: FakeWhatsApp;

const reply = (text: string) => fake.send(SUPORTE.phoneNumberId, `Bearer ${DEMO_WHATSAPP.secrets.accessToken}`, { messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', text: { body: text } });
const outcome = (value: string) => api(server, 'POST', '/simulator/whatsapp/api/outcome', { body: { customer: CUSTOMER, outcome: value } });
const thread = async () => (await api<{ outcome: string; messages: { text: string; status: string; errorCode: number | null }[] }>(server, 'GET', `/simulator/whatsapp/api/thread?number=${SUPORTE.phoneNumberId}&customer=${CUSTOMER}`)).body;

beforeAll(async () => {
  server = await startServer();
  fake = server.app.whatsappSimulator!;
});
afterAll(() => server.close());

describe('the WhatsApp simulator phone', () => {
  it('names each business number by its channel, the number beside it', async () => {
    const res = await api<{ numbers: { phoneNumberId: string; display: string; name: string | null }[] }>(server, 'GET', '/simulator/whatsapp/api/numbers');
    expect(res.body.numbers).toEqual([
      { phoneNumberId: DEMO_WHATSAPP.numbers[0].phoneNumberId, display: '+55 11 4000-0001', name: 'WhatsApp Comercial' },
      { phoneNumberId: SUPORTE.phoneNumberId, display: '+55 11 4000-0002', name: 'WhatsApp Suporte' },
    ]);
  });

  it('makes replies fail after acceptance (131047), be refused (401), or arrive again', async () => {
    expect((await thread()).outcome).toBe('deliver');

    expect((await outcome('window')).status).toBe(200);
    expect((await thread()).outcome).toBe('window');
    expect((await reply('primeira')).status).toBe(200);
    await fake.settled();
    expect((await thread()).messages.find((m) => m.text === 'primeira')).toMatchObject({ status: 'failed', errorCode: 131047 });

    expect((await outcome('token')).status).toBe(200);
    expect((await reply('segunda')).status).toBe(401);
    expect((await thread()).messages.some((m) => m.text === 'segunda')).toBe(false);

    expect((await outcome('deliver')).status).toBe(200);
    expect((await reply('terceira')).status).toBe(200);
    await fake.settled();
    expect((await thread()).messages.find((m) => m.text === 'terceira')?.status).toBe('delivered');
    expect(fake.failures).toEqual([]);
  });

  it('refuses an outcome it does not know, in Portuguese', async () => {
    const res = await outcome('lost');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('Informe o seu telefone');
  });
});
