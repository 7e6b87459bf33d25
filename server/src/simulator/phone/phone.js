// The customer's phone of the WhatsApp simulator: plain DOM, polls the fake's thread.
const $ = (id) => document.getElementById(id);
const api = (path, body) =>
  fetch(`/simulator/whatsapp/api/${path}`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}).then(async (r) => {
    const json = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(json?.error?.message ?? `HTTP ${r.status}`);
    return json;
  });
const state = { number: '', customer: '', last: '' };
const ticks = { accepted: '…', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };
const time = (ms) => new Date(ms).toLocaleTimeString('pt-BR', { hour: '2-digit', minute: '2-digit' });
const showError = (message) => {
  $('error').hidden = !message;
  $('error').textContent = message ?? '';
};

const render = (messages) => {
  const list = $('thread');
  const key = JSON.stringify(messages.map((m) => [m.id, m.status]));
  if (key === state.last) return;
  state.last = key;
  const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren();
  if (messages.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'Nenhuma mensagem ainda. Escreva para a empresa.';
    list.append(li);
  }
  const byId = new Map(messages.map((m) => [m.id, m]));
  for (const m of messages) {
    const li = document.createElement('li');
    li.className = `bubble ${m.direction}`;
    li.dataset.id = m.id;
    li.setAttribute('aria-label', `${m.direction === 'in' ? 'Você' : 'Empresa'}: ${m.text || m.type}`);
    if (m.contextId && byId.get(m.contextId)) {
      const q = document.createElement('div');
      q.className = 'quote';
      q.textContent = byId.get(m.contextId).text || byId.get(m.contextId).type;
      li.append(q);
    }
    if (m.type === 'template') {
      const t = document.createElement('div');
      t.className = 'template';
      t.textContent = 'Modelo';
      li.append(t);
    }
    if (m.mediaId) {
      if (m.type === 'image' || m.type === 'sticker') {
        const img = document.createElement('img');
        img.src = `/simulator/whatsapp/api/media/${m.mediaId}`;
        img.alt = m.fileName ?? 'imagem';
        li.append(img);
      } else {
        const a = document.createElement('a');
        a.className = 'file';
        a.href = `/simulator/whatsapp/api/media/${m.mediaId}`;
        a.target = '_blank';
        a.textContent = m.fileName ?? m.type;
        li.append(a);
      }
    }
    if (m.text) li.append(document.createTextNode(m.type === 'reaction' ? `Reagiu ${m.text}` : m.text));
    if (m.buttons?.length) {
      const box = document.createElement('div');
      box.className = 'buttons';
      for (const b of m.buttons) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = b.title;
        button.addEventListener('click', () => send({ reply: { id: b.id, title: b.title } }));
        box.append(button);
      }
      li.append(box);
    }
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.append(time(m.at));
    if (m.direction === 'out') {
      const tick = document.createElement('span');
      tick.className = `tick ${m.status}`;
      tick.textContent = ticks[m.status] ?? '';
      tick.title = m.status === 'failed' ? `Falhou (${m.errorCode})` : m.status;
      tick.setAttribute('aria-label', m.status === 'failed' ? `falhou, código ${m.errorCode}` : m.status);
      meta.append(tick);
    }
    li.append(meta);
    list.append(li);
  }
  if (atEnd || messages.length) list.scrollTop = list.scrollHeight;
};

const refresh = async () => {
  if (!state.number || !state.customer) return;
  try {
    const { messages, outcome } = await api(`thread?number=${encodeURIComponent(state.number)}&customer=${encodeURIComponent(state.customer)}`);
    render(messages);
    if (outcome && document.activeElement !== $('outcome')) $('outcome').value = outcome;
    if ($('autoread').checked && document.visibilityState === 'visible' && messages.some((m) => m.direction === 'out' && (m.status === 'sent' || m.status === 'delivered')))
      await api('read', { number: state.number, customer: state.customer });
  } catch (e) {
    showError(`Sem conexão com o servidor: ${e.message}`);
  }
};

const send = async (extra) => {
  showError(null);
  try {
    await api('send', { number: state.number, customer: state.customer, name: $('name').value, ...extra });
    await refresh();
  } catch (e) {
    showError(e.message);
  }
};

const readFile = (file) =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

const sync = () => {
  state.number = $('number').value;
  state.customer = $('customer').value.replace(/\D/g, '');
  const option = $('number').selectedOptions[0];
  $('title').textContent = option?.dataset.name || option?.dataset.display || 'Empresa';
  $('subtitle').textContent = option?.dataset.name ? option.dataset.display : '';
  state.last = '';
  void refresh();
};

const start = async () => {
  const { numbers } = await api('numbers');
  for (const n of numbers) {
    const option = document.createElement('option');
    option.value = n.phoneNumberId;
    option.textContent = n.name ? `${n.name} · ${n.display}` : n.display;
    option.dataset.display = n.display;
    option.dataset.name = n.name ?? '';
    $('number').append(option);
  }
  const params = new URLSearchParams(location.search);
  if (params.get('number')) $('number').value = params.get('number');
  if (params.get('customer')) $('customer').value = params.get('customer');
  if (params.get('name')) $('name').value = params.get('name');
  for (const id of ['number', 'customer']) $(id).addEventListener('change', sync);
  $('outcome').addEventListener('change', async () => {
    showError(null);
    try {
      await api('outcome', { customer: state.customer, outcome: $('outcome').value });
    } catch (e) {
      showError(e.message);
    }
  });
  $('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('text').value.trim();
    const file = $('file').files[0];
    if (!text && !file) return;
    const payload = file ? { text, file: { name: file.name, mime: file.type || 'application/octet-stream', base64: await readFile(file) } } : { text };
    $('text').value = '';
    $('file').value = '';
    await send(payload);
  });
  sync();
  setInterval(refresh, 1000);
};
void start();
