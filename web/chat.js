// The demo web-chat client: one session per browser tab (api.md, Web chat).
(function () {
  const log = document.getElementById('log');
  const form = document.getElementById('form');
  const input = document.getElementById('text');
  let token = sessionStorage.getItem('jack.token');

  function show(text, cls) {
    const div = document.createElement('div');
    div.className = 'msg ' + cls;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  async function api(method, path, body) {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    const res = await fetch('/api/v1' + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const data = res.status === 204 ? null : await res.json();
    if (!res.ok) throw Object.assign(new Error(data && data.error ? data.error.message : res.statusText), { res, data });
    return data;
  }

  async function ensureSession() {
    if (token) return;
    const s = await api('POST', '/webchat/sessions', { language: (navigator.language || 'en').slice(0, 2) });
    token = s.token;
    sessionStorage.setItem('jack.token', token);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    try {
      await ensureSession();
      const out = await api('POST', '/webchat/messages', { content: text });
      input.value = '';
      show(out.message.content, 'guest');
      for (const r of out.replies) show(r.content, r.senderType);
    } catch (err) {
      if (err.res && err.res.status === 401) { token = null; sessionStorage.removeItem('jack.token'); }
      const wait = err.data && err.data.error && err.data.error.details && err.data.error.details.retryAfter;
      show(wait ? 'Please wait ' + wait + ' s before sending again; your text is kept.' : 'Not sent: ' + err.message, 'error');
    }
  });

  (async () => {
    if (!token) return;
    try {
      const h = await api('GET', '/webchat/messages?limit=200');
      for (const m of h.items) show(m.content, m.direction === 'inbound' ? 'guest' : m.senderType);
    } catch (_) { token = null; sessionStorage.removeItem('jack.token'); }
  })();
})();
