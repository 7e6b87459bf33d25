import WebSocket from 'ws';
const url = process.argv[2]!;
const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@atende.local', password: 'atende123' }) });
const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
const ws = new WebSocket(url.replace('http', 'ws') + '/api/live', { headers: { cookie } });
await new Promise((r) => ws.once('open', r));
ws.send(JSON.stringify({ type: 'subscribe', id: 'w', query: 'tickets.waiting', params: { limit: 10000 } }));
let pushes = 0;
ws.on('message', () => pushes++);
const visitors = await Promise.all(Array.from({ length: 32 }, async (_, i) => {
  const r = await fetch(`${url}/api/widget/site/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `V${i}` }) });
  return ((await r.json()) as { token: string }).token;
}));
let sent = 0;
const end = Date.now() + 8000;
await Promise.all(visitors.map(async (token, v) => {
  let n = 0;
  while (Date.now() < end) {
    const r = await fetch(`${url}/api/widget/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ text: `msg ${n}`, clientMessageId: `c${v}-${n++}` }) });
    await r.arrayBuffer();
    sent++;
  }
}));
console.log({ sent, perSec: sent / 8, pushes });
ws.close();
