// The customer's Instagram DMs of the simulator: plain DOM, polls the fake's thread.
const $ = (id) => document.getElementById(id);
const api = (path, body) =>
  fetch(`/simulator/instagram/api/${path}`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}).then(async (r) => {
    const json = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(json?.error?.message ?? `HTTP ${r.status}`);
    return json;
  });
const state = { customer: '', last: '' };
const time = (ms) => new Date(ms).toLocaleTimeString('pt-BR', { hour: '2-digit', minute: '2-digit' });
const showError = (message) => {
  $('error').hidden = !message;
  $('error').textContent = message ?? '';
};

const render = (messages) => {
  const list = $('thread');
  const key = JSON.stringify(messages.map((m) => [m.id, m.deleted]));
  if (key === state.last) return;
  state.last = key;
  list.replaceChildren();
  if (messages.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'Nenhuma mensagem ainda. Escreva para a empresa.';
    list.append(li);
  }
  for (const m of messages) {
    const li = document.createElement('li');
    li.className = `bubble ${m.direction}${m.deleted ? ' deleted' : ''}`;
    li.dataset.id = m.id;
    li.setAttribute('aria-label', `${m.direction === 'in' ? 'Você' : 'Empresa'}: ${m.deleted ? 'mensagem apagada' : m.text || 'anexo'}`);
    if (m.attachment && !m.deleted) {
      // What Instagram would fetch and show: the business's file, by its (short-lived) link.
      const link = document.createElement('a');
      link.href = m.attachment;
      link.target = '_blank';
      link.rel = 'noopener';
      link.className = 'file';
      link.textContent = 'Anexo da empresa';
      li.append(link);
    } else li.append(document.createTextNode(m.deleted ? 'Você cancelou o envio de uma mensagem' : m.text));
    if (m.direction === 'in' && !m.deleted) {
      const unsend = document.createElement('button');
      unsend.type = 'button';
      unsend.className = 'unsend';
      unsend.textContent = 'Apagar';
      unsend.setAttribute('aria-label', `Apagar “${m.text}”`);
      unsend.addEventListener('click', () => act('delete', { mid: m.id }));
      li.append(unsend);
    }
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = time(m.at);
    li.append(meta);
    list.append(li);
  }
  list.scrollTop = list.scrollHeight;
};

const refresh = async () => {
  if (!state.customer) return;
  try {
    render((await api(`thread?customer=${encodeURIComponent(state.customer)}`)).messages);
  } catch (e) {
    showError(`Sem conexão com o servidor: ${e.message}`);
  }
};

const act = async (path, body) => {
  showError(null);
  try {
    await api(path, { customer: state.customer, ...body });
    await refresh();
  } catch (e) {
    showError(e.message);
  }
};

const sync = () => {
  state.customer = $('customer').value.replace(/\D/g, '');
  state.last = '';
  void refresh();
};

const params = new URLSearchParams(location.search);
for (const id of ['customer', 'name', 'username']) if (params.get(id)) $(id).value = params.get(id);
$('customer').addEventListener('change', sync);
$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  await act('send', { text, name: $('name').value.trim(), username: $('username').value.trim() });
});
sync();
setInterval(refresh, 1000);
