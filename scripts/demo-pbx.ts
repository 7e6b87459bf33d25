/**
 * `npm run demo:pbx`: a PBX to try the softphone with no telephone system —
 * Debian's Kamailio (apt-get install kamailio kamailio-websocket-modules) as
 * registrar and proxy on a free port, and a customer's phone page. Prints
 * what to type in Administração → Telefonia and in the users' dialog; Ctrl+C stops both.
 */
import { kamailioUnavailable, startKamailio } from '../e2e/phone/kamailio.ts';
import { serveCustomerPhone } from '../e2e/phone/customerPhone.ts';

const DOMAIN = 'atende.local';
const AGENTS = { '1001': 'ramal1001', '1002': 'ramal1002', '1003': 'ramal1003' };
const CUSTOMER = { number: '5511987650001', password: 'cliente123' };

const why = kamailioUnavailable();
if (why) {
  console.error(`demo PBX: ${why}`);
  process.exit(1);
}
const pbx = await startKamailio(DOMAIN, { ...AGENTS, [CUSTOMER.number]: CUSTOMER.password });
const site = await serveCustomerPhone();
const phoneUrl = `${site.url}?${new URLSearchParams({ ws: pbx.wsUrl, domain: DOMAIN, user: CUSTOMER.number, password: CUSTOMER.password })}`;
console.log(`
Demo PBX (Kamailio) is running.

  Administração → Telefonia:  endereço ${pbx.wsUrl}   domínio ${DOMAIN}
  Administração → Usuários:   Ana ramal 1001 senha ${AGENTS['1001']} · Bruno 1002 / ${AGENTS['1002']} · Carla 1003 / ${AGENTS['1003']}

  The customer's phone (number ${CUSTOMER.number}): ${phoneUrl}
  Give a contact that number to call it from the ticket; call 1001 from the page to ring Ana.

Ctrl+C stops it.`);
const stop = async () => {
  await site.close();
  await pbx.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
