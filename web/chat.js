// The demo web-chat client: one session per browser tab (api.md, Web chat).
(function () {
  const log = document.getElementById('log');
  const form = document.getElementById('form');
  const input = document.getElementById('text');
  let token = sessionStorage.getItem('jack.token');

  const shown = new Set();  // message ids: a message comes by REST and by the socket
  let socket = null;

  function showMessage(m) {
    if (m.id && shown.has(m.id)) return;
    if (m.id) shown.add(m.id);
    show(m.content, m.direction === 'inbound' ? 'guest' : m.senderType);
  }

  // Staff answers after a hand-off arrive here (api.md, WS /ws/chat); reconnects with a
  // back-off while the session lasts.
  function connect(delay) {
    if (!token || socket) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(proto + '//' + location.host + '/ws/chat?token=' + encodeURIComponent(token));
    socket.onopen = () => { delay = 1000; };
    socket.onmessage = (e) => {
      let f;
      try { f = JSON.parse(e.data); } catch (_) { return; }
      if (f.type === 'message' && f.message) showMessage(f.message);
    };
    socket.onclose = () => {
      socket = null;
      if (token) setTimeout(() => connect(Math.min((delay || 1000) * 2, 30000)), delay || 1000);
    };
  }

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
      showMessage(out.message);
      for (const r of out.replies) showMessage(r);
      connect();
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
      for (const m of h.items) showMessage(m);
      connect();
    } catch (_) { token = null; sessionStorage.removeItem('jack.token'); }
  })();
})();
