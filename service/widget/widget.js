/*! ragqa chat widget: one <script> tag, no framework, everything inside a Shadow DOM. Docs: README.md */
(() => {
  'use strict';
  if (window.RagqaWidget && window.RagqaWidget.version) return; // loaded twice: the first copy wins

  // ---- configuration from the script tag ---------------------------------------------------------
  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const attr = (name) => (script && script.getAttribute(name)) || '';
  const srcOrigin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  const position = ['bottom-right', 'bottom-left', 'inline'].includes(attr('data-position'))
    ? attr('data-position') : 'bottom-right';
  const cfg = {
    endpoint: (attr('data-ragqa-endpoint') || srcOrigin).replace(/\/+$/, ''),
    key: attr('data-ragqa-key'),
    title: attr('data-title') || 'Ask a question',
    inline: position === 'inline',
    side: position === 'bottom-left' ? 'left' : 'right',
    color: attr('data-primary-color') || '#1d4ed8',
    open: attr('data-open') === 'true',
  };
  const STORE = 'ragqa-widget:' + cfg.endpoint;
  const HISTORY_TURNS = 6; // question/answer pairs sent with a follow-up: enough context, bounded body
  const SLOW_MS = 8000; // after this the progress line says the answer is slow and points at Stop
  const STALL_MS = 90000; // no byte from the server for this long: give up and offer Retry
  const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

  // ---- tiny DOM helpers: every string from the server goes into the page as a text node --------------
  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat()) if (kid != null && kid !== false) el.append(kid); // strings -> text nodes
    return el;
  }
  const ICON = {
    chat: 'M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z',
    close: 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4l5.6 5.6L5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6z',
    send: 'M2 21 23 12 2 3v7l15 2-15 2z',
    stop: 'M6 6h12v12H6z',
    back: 'M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z',
    info: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-6h2zm0-8h-2V7h2z',
    up: 'M1 21h4V9H1zm22-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.5-1.1L14.2 1 7.6 7.6C7.2 8 7 8.4 7 9v10a2 '
      + '2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7c.1-.3.2-.5.2-.8z',
    down: 'M15 3H6c-.8 0-1.5.5-1.8 1.2l-3 7c-.1.3-.2.5-.2.8v2a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.5 1.1L9.8 '
      + '23l6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2zm4 0v12h4V3z',
  };
  function icon(name, cls) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    const path = document.createElementNS(ns, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    if (cls) svg.setAttribute('class', cls);
    path.setAttribute('d', ICON[name]);
    svg.append(path);
    return svg;
  }
  function safeUrl(value) { // only absolute http(s) links survive; javascript:, data:, relative paths do not
    try {
      const url = new URL(String(value));
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch { return null; }
  }
  const link = (href, label) => h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label);

  // ---- colours: the host picks one; we derive text colours that keep WCAG AA contrast (4.5:1) ----------
  function rgbOf(value) {
    if (!window.CSS || !CSS.supports('color', value)) return null;
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return null;
    ctx.fillStyle = value;
    const v = String(ctx.fillStyle);
    return v[0] === '#' ? [1, 3, 5].map((i) => parseInt(v.slice(i, i + 2), 16))
      : v.match(/[\d.]+/g).slice(0, 3).map(Number);
  }
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const rgbCss = (rgb) => `rgb(${rgb.map(Math.round).join(',')})`;
  function palette(value) {
    const base = rgbOf(value) || [29, 78, 216];
    const white = [255, 255, 255], ink = [17, 17, 17], wash = [243, 245, 247];
    let dark = base; // the brand colour darkened until it reads as text on our lightest grey
    while (contrast(dark, wash) < 4.6) dark = dark.map((c) => c * 0.9);
    return {
      primary: rgbCss(base), dark: rgbCss(dark),
      on: rgbCss(contrast(base, white) >= contrast(base, ink) ? white : ink),
    };
  }

  // ---- styles (inside the shadow root; host rules cannot reach in, ours cannot leak out) ---------------
  function styles(c) {
    const side = cfg.side;
    const host = cfg.inline
      ? ':host{all:initial!important;display:block!important;width:100%!important}'
      : ':host{all:initial!important;display:block!important;position:fixed!important;top:0!important;'
        + 'left:0!important;width:0!important;height:0!important;z-index:2147483000!important}';
    const panel = cfg.inline
      ? '.panel{position:relative;width:100%;height:600px;max-height:90vh}'
      : `.panel{position:fixed;bottom:88px;${side}:20px;width:400px;max-width:calc(100vw - 40px);height:640px;`
        + 'max-height:calc(100vh - 108px);box-shadow:0 12px 40px rgba(0,0,0,.28)}'
        + '@media (max-width:480px),(max-height:560px){.panel{inset:0;width:100%;max-width:none;height:100%;'
        + 'max-height:none;border-radius:0;border:0}.open .launcher{display:none}}';
    return `${host}
*{box-sizing:border-box}
[hidden]{display:none!important}
.rq{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,"Helvetica Neue",Arial,sans-serif;
  color:#1f2328;text-align:left;-webkit-font-smoothing:antialiased}
button,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer;border:0;background:none;padding:0}
button:disabled{cursor:not-allowed;opacity:.6}
svg{display:block;fill:currentColor;width:20px;height:20px;flex:none}
:focus-visible{outline:3px solid ${c.dark};outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.launcher{position:fixed;bottom:20px;${side}:20px;width:56px;height:56px;border-radius:50%;display:grid;
  place-items:center;background:${c.primary};color:${c.on};box-shadow:0 4px 14px rgba(0,0,0,.3)}
.launcher svg{width:28px;height:28px}
.launcher:focus-visible{outline:3px solid ${c.dark};outline-offset:3px;box-shadow:0 0 0 3px #fff}
.launcher .x,.open .launcher .bubble{display:none}
.open .launcher .x{display:block}
.panel{display:flex;flex-direction:column;overflow:hidden;background:#fff;border:1px solid #d0d7de;
  border-radius:14px}
${panel}
header{display:flex;align-items:center;gap:6px;padding:10px 10px 10px 16px;background:${c.primary};color:${c.on}}
h2{flex:1;min-width:0;margin:0;font-size:16px;font-weight:650;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
header button{display:flex;align-items:center;gap:4px;min-height:36px;padding:6px 10px;border-radius:8px;
  font-size:14px;font-weight:600}
header button:hover{background:rgba(127,127,127,.22)}
header :focus-visible{outline-color:${c.on};outline-offset:-3px}
.log,.source{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px;background:#f6f8fa}
.log{position:relative;display:flex;flex-direction:column;gap:14px}
.empty{margin:auto 0;color:#57606a;text-align:center;padding:0 12px}
.msg{max-width:92%;overflow-wrap:anywhere}
.user{align-self:flex-end;white-space:pre-wrap;padding:8px 12px;border-radius:14px 14px 4px 14px;
  background:${c.primary};color:${c.on}}
.bot{align-self:flex-start;padding:10px 12px;border-radius:14px 14px 14px 4px;background:#fff;border:1px solid #d0d7de}
.notfound{border-left:4px solid #9a6700}
.nf{display:flex;gap:6px;align-items:center;margin:0 0 4px;font-weight:650;color:#7a4d00}
.md p{margin:0 0 8px}.md>:last-child{margin-bottom:0}
.md ul,.md ol{margin:0 0 8px;padding-left:22px}
.md .h{font-weight:650}
.tbl{overflow-x:auto;margin:0 0 8px}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
code{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;background:#eaeef2;padding:1px 4px;border-radius:4px}
a{color:${c.dark};text-decoration:underline}
.cite,.num{display:inline-block;min-width:22px;padding:0 5px;border:1px solid ${c.dark};border-radius:11px;
  background:#fff;color:${c.dark};font-size:12px;font-weight:700;line-height:18px;text-align:center}
.cite{margin:0 2px;vertical-align:1px}
.cite:hover,.srcbtn:hover .num{background:${c.dark};color:#fff}
.note,.hint,.label,.path,.fbrow,.kicker,.progress{font-size:13px;color:#57606a}
.note{margin:6px 0 0;font-style:italic}
.sources{margin-top:10px;padding-top:8px;border-top:1px solid #d8dee4}
.label{margin:0 0 4px;font-weight:650}
.sources ol{list-style:none;margin:0;padding:0}
.srcmeta{margin:0 0 4px 6px;font-size:13px;color:#57606a}
.badge{display:inline-block;margin-right:6px;padding:0 6px;border:1px solid #9a6700;border-radius:9px;
  background:#fff8c5;color:#6b4300;font-size:12px;font-weight:650}
.unsupported{text-decoration:underline dotted #9a6700;text-decoration-thickness:2px;text-underline-offset:3px}
.unsupnote{margin-left:4px;padding:0 5px;border-radius:8px;background:#fff8c5;color:#6b4300;font-size:12px;
  font-weight:650;white-space:nowrap}
.notice{display:flex;gap:6px;align-items:flex-start;margin:0 0 8px;padding:6px 8px;border-left:4px solid #9a6700;
  background:#fff8c5;color:#6b4300;font-size:14px}
.cautions{margin-top:8px;padding:6px 8px;border:1px solid #cf222e;border-radius:8px;background:#fff5f5;color:#82071e;
  font-size:14px}
.cautions ul{margin:0;padding-left:20px}
.srcbtn{display:flex;gap:8px;align-items:baseline;width:100%;padding:4px 6px;border-radius:6px;text-align:left;font-size:14px}
.srcbtn:hover{background:#eef1f4}
.srcpath{color:#57606a}
.fbrow{display:flex;align-items:center;flex-wrap:wrap;gap:6px;margin-top:10px}
.thumb{display:grid;place-items:center;width:34px;height:34px;border:1px solid #8c959f;border-radius:8px;color:#424a53}
.thumb svg{width:18px;height:18px}
.thumb[aria-pressed=true]{background:${c.dark};border-color:${c.dark};color:#fff}
.fbform{display:flex;flex-direction:column;gap:6px;margin-top:8px}
.fbform textarea{min-height:56px}
.btn{display:inline-flex;align-items:center;gap:6px;align-self:flex-start;min-height:34px;padding:5px 14px;
  border:1px solid ${c.dark};border-radius:8px;background:#fff;color:${c.dark};font-weight:600;font-size:14px}
.btn:hover:not(:disabled){background:${c.dark};color:#fff}
.err{align-self:stretch;max-width:none;display:flex;flex-direction:column;gap:8px;padding:10px 12px;
  border:1px solid #cf222e;border-radius:10px;background:#fff5f5;color:#82071e}
.err .btn{border-color:#a40e26;color:#a40e26}
.err .btn:hover:not(:disabled){background:#a40e26}
.back{margin-bottom:12px}
.kicker{margin:0;font-weight:650}
.source h3{margin:2px 0 4px;font-size:18px;line-height:1.3}
.path{margin:0 0 8px}
blockquote{margin:12px 0;padding:10px 14px;border-left:4px solid ${c.dark};background:#fff;border-radius:0 8px 8px 0}
.progress{display:flex;align-items:center;gap:10px;padding:6px 16px;border-top:1px solid #d8dee4;background:#fff}
.dots{display:inline-flex;gap:4px}
.dots span{width:7px;height:7px;border-radius:50%;background:${c.dark};animation:rq-b 1s infinite ease-in-out}
.dots span:nth-child(2){animation-delay:.15s}.dots span:nth-child(3){animation-delay:.3s}
@keyframes rq-b{0%,80%,100%{opacity:.25;transform:scale(.8)}40%{opacity:1;transform:scale(1)}}
@media (prefers-reduced-motion:reduce){.dots span{animation:none}}
.composer{display:flex;gap:8px;align-items:flex-end;padding:10px 12px 6px;border-top:1px solid #d0d7de;background:#fff}
textarea{flex:1;width:100%;min-height:42px;max-height:140px;resize:none;padding:10px 12px;line-height:20px;
  border:1px solid #6e7781;border-radius:10px;background:#fff;color:#1f2328}
textarea::placeholder{color:#5f6670;opacity:1}
.send,.stop{display:grid;place-items:center;height:42px;border-radius:10px}
.send{width:42px;background:${c.primary};color:${c.on}}
.stop{display:flex;align-items:center;gap:6px;padding:0 14px;border:1px solid #a40e26;background:#fff;color:#a40e26;font-weight:600}
.hint{margin:0;padding:0 14px 10px;background:#fff}`;
  }

  // ---- a minimal Markdown subset, built as DOM nodes (never innerHTML) ---------------------------------
  // links [t](http...), images (shown as inert text), [n] citation markers, **bold**, `code`, *em*, _em_, bare URLs
  const INLINE = new RegExp([
    /(!?)\[([^\]\n]*)\]\(((?:[^()\s]|\([^()\s]*\))*)\)/.source,
    MARKER.source,
    /\*\*(?=\S)([^*\n]+?)\*\*/.source,
    /`([^`\n]+)`/.source,
    /(?<![\w*])\*(?=\S)([^*\n]+?)\*(?![\w*])/.source,
    /(?<!\w)_(?=\S)([^_\n]+?)_(?!\w)/.source,
    /\bhttps?:\/\/[^\s<>"'\])]+/.source,
  ].join('|'), 'g');

  function inline(parent, text, cites) {
    let last = 0;
    for (const m of text.matchAll(INLINE)) {
      parent.append(text.slice(last, m.index));
      last = m.index + m[0].length;
      const [whole, bang, label, url, refs, bold, code, em1, em2] = m;
      if (url !== undefined) {
        const href = bang ? null : safeUrl(url);
        if (bang) parent.append(`[image: ${label || 'untitled'}]`); // never fetch remote images
        else parent.append(href ? link(href, label || href) : label);
      } else if (refs !== undefined) {
        for (const n of refs.split(',')) {
          const c = cites && cites.get(Number(n));
          parent.append(c ? citeButton(c) : `[${n.trim()}]`); // a marker without a source stays plain text
        }
      } else if (bold !== undefined) parent.append(h('strong', null, bold));
      else if (code !== undefined) parent.append(h('code', null, code));
      else if (em1 !== undefined || em2 !== undefined) parent.append(h('em', null, em1 || em2));
      else {
        const tail = whole.match(/[.,;:!?]+$/); // "see https://x.example." keeps its full stop outside
        const href = safeUrl(tail ? whole.slice(0, -tail[0].length) : whole);
        parent.append(href ? link(href, href) : whole);
        if (href && tail) parent.append(tail[0]);
      }
    }
    parent.append(text.slice(last));
  }

  function markdown(text, cites) {
    const root = h('div', { class: 'md' });
    let list = null, block = null, table = null;
    for (const raw of String(text).replace(/\r\n?/g, '\n').split('\n')) {
      const line = raw.trim();
      const item = /^(?:[-*+]|(\d{1,6})[.)])\s+(.*)$/.exec(line);
      const heading = /^#{1,6}\s+(.*)$/.exec(line);
      if (!line) { list = block = table = null; continue; }
      if (/^\|.*\|$/.test(line)) { // a pipe table: one row per line, the |---| rule line is dropped
        list = block = null;
        if (!table) root.append(h('div', { class: 'tbl' }, table = h('table')));
        if (!/^\|[\s:|-]+\|$/.test(line)) {
          const row = h('tr');
          for (const cell of line.slice(1, -1).split('|')) {
            inline(row.appendChild(h(table.rows.length ? 'td' : 'th')), cell.trim(), cites);
          }
          table.append(row);
        }
        continue;
      }
      table = null;
      if (item) {
        const tag = item[1] ? 'OL' : 'UL';
        if (!list || list.tagName !== tag) root.append(list = h(tag, item[1] ? { start: item[1] } : null));
        list.append(block = h('li'));
        inline(block, item[2], cites);
        continue;
      }
      if (heading) {
        list = null;
        root.append(block = h('p', { class: 'h' }));
        inline(block, heading[1], cites);
        block = null;
        continue;
      }
      if (!block || (list && !/^\s/.test(raw))) { list = null; root.append(block = h('p')); }
      else block.append(' '); // a soft line break, as in Markdown
      inline(block, line, cites);
    }
    return root;
  }
  const plain = (text) => String(text).replace(MARKER, '').replace(/\s+([.,;:!?])/g, '$1');

  // ---- state --------------------------------------------------------------------------------------
  const saved = (() => { try { return JSON.parse(sessionStorage.getItem(STORE)) || {}; } catch { return {}; } })();
  let messages = (Array.isArray(saved.messages) ? saved.messages : [])
    .filter((m) => m && typeof m.text === 'string' && (m.role === 'user' || m.role === 'assistant'))
    .map((m) => Object.assign(m, { citations: cleanCitations(m.citations), warnings: cleanWarnings(m.warnings),
      unsupported: Array.isArray(m.unsupported) ? m.unsupported.filter((t) => typeof t === 'string') : [] }));
  let isOpen = false;
  let busy = null; // the request in flight: {controller, why}
  let tokenProvider = window.RagqaWidget && typeof window.RagqaWidget.tokenProvider === 'function'
    ? window.RagqaWidget.tokenProvider : null;
  let opener = null; // the marker or source button that opened the source view
  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify({ messages, open: isOpen })); }
    catch { /* storage blocked or full: the chat still works, it just won't survive a reload */ }
  }
  const emit = (name, detail) => window.dispatchEvent(new CustomEvent('ragqa:' + name, { detail }));

  // ---- the interface ------------------------------------------------------------------------------
  const colors = palette(cfg.color);
  const host = document.createElement('ragqa-widget');
  const root = host.attachShadow({ mode: 'open' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(styles(colors)); // constructed sheets also work under a strict style-src CSP
    root.adoptedStyleSheets = [sheet];
  } catch { root.append(h('style', null, styles(colors))); }

  const live = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
  const launcher = cfg.inline ? null : h('button', {
    type: 'button', class: 'launcher', 'aria-controls': 'rq-panel', 'aria-expanded': 'false',
    'aria-label': 'Open chat: ' + cfg.title, onclick: () => (isOpen ? close() : open()),
  }, icon('chat', 'bubble'), icon('close', 'x'));
  const newBtn = h('button', { type: 'button', onclick: () => newChat() }, 'New chat');
  const closeBtn = cfg.inline ? null
    : h('button', { type: 'button', 'aria-label': 'Close chat', onclick: () => close() }, icon('close'));
  const empty = h('p', { class: 'empty' },
    'Ask a question about our articles. Every answer shows the passages it comes from.');
  const log = h('div', { class: 'log', role: 'region', 'aria-label': 'Conversation', tabindex: '0' });
  const srcKicker = h('p', { class: 'kicker' });
  const srcTitle = h('h3', { id: 'rq-src-title', tabindex: '-1' });
  const srcPath = h('p', { class: 'path' });
  const srcQuote = h('blockquote');
  const srcLink = h('p');
  const sourceView = h('section', { class: 'source', hidden: true, 'aria-labelledby': 'rq-src-title' },
    h('button', { type: 'button', class: 'btn back', onclick: () => closeSource() }, icon('back'), 'Back to the chat'),
    srcKicker, srcTitle, srcPath, srcQuote, srcLink);
  const progressText = h('span');
  const progress = h('div', { class: 'progress', role: 'status', hidden: true },
    h('span', { class: 'dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')), progressText);
  const input = h('textarea', {
    id: 'rq-q', rows: '1', maxlength: '2000', placeholder: 'Ask a question…', 'aria-describedby': 'rq-hint',
    enterkeyhint: 'send',
  });
  const sendBtn = h('button', { type: 'submit', class: 'send', 'aria-label': 'Send question' }, icon('send'));
  const stopBtn = h('button', { type: 'button', class: 'stop', hidden: true, onclick: () => stop() },
    icon('stop'), 'Stop');
  const form = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); submit(); } },
    h('label', { for: 'rq-q', class: 'sr' }, 'Your question'), input, sendBtn, stopBtn);
  const panel = h('div', {
    class: 'panel', id: 'rq-panel', role: cfg.inline ? 'region' : 'dialog', 'aria-labelledby': 'rq-title',
    hidden: !cfg.inline,
  },
  h('header', null, h('h2', { id: 'rq-title' }, cfg.title), newBtn, closeBtn),
  log, sourceView, progress, form,
  h('p', { id: 'rq-hint', class: 'hint' }, 'Enter to send, Shift+Enter for a new line. Answers come from the '
    + 'articles only: check the sources.'));
  const wrap = h('div', { class: 'rq' }, launcher, panel, live);
  root.append(wrap);

  function announce(text) { // clear first so that the same words are announced again
    live.textContent = '';
    setTimeout(() => { live.textContent = String(text).slice(0, 500); }, 60);
  }
  function scrollDown(force) {
    if (force || log.scrollHeight - log.scrollTop - log.clientHeight < 90) log.scrollTop = log.scrollHeight;
  }
  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 140) + 'px';
  }

  // ---- rendering of messages ------------------------------------------------------------------------
  function renderAll() {
    log.replaceChildren(...(messages.length ? messages.map(renderMessage) : [empty]));
  }
  function renderMessage(m) {
    if (m.role === 'user') return h('div', { class: 'msg user' }, h('span', { class: 'sr' }, 'You asked: '), m.text);
    const cites = new Map((m.citations || []).map((c) => [c.ref, c]));
    const box = h('div', { class: 'msg bot' + (m.abstained ? ' notfound' : '') });
    if (m.abstained) { // the articles do not answer: say so, and show no sources at all
      box.append(h('p', { class: 'nf' }, icon('info'), 'Not found in the articles'), markdown(m.text, null));
    } else {
      if (m.grounded === false) {
        box.append(h('p', { class: 'notice', role: 'note' }, icon('info'),
          'Some of this answer is not supported by the sources; check them.'));
      }
      box.append(markUnsupported(markdown(m.text, cites), m.unsupported || []));
    }
    if (m.stopped) box.append(h('p', { class: 'note' }, 'Stopped before the answer was complete.'));
    if (m.warnings && m.warnings.length) box.append(cautionsView(m.warnings));
    if (!m.abstained && cites.size) box.append(sourcesView([...cites.values()]));
    if (m.request_id && !m.stopped) box.append(feedbackView(m));
    return box;
  }
  function sourcesView(list) { // one entry per article: its sections, when it was updated, whether it is current
    const groups = new Map();
    for (const c of list) {
      const key = c.doc_id || c.title;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(c);
    }
    return h('div', { class: 'sources' }, h('p', { class: 'label' }, 'Sources'),
      h('ol', null, [...groups.values()].map((cs) => {
        const c = cs[0], refs = cs.map((x) => x.ref);
        const sections = [...new Set(cs.map((x) => x.headings.join(' › ')).filter(Boolean))];
        const label = c.status === 'superseded' ? 'Superseded' : c.status === 'upcoming' ? 'Not yet in effect' : '';
        const meta = [
          label ? h('span', { class: 'badge' }, label) : null,
          c.status === 'superseded' && c.superseded_by ? `Replaced by ${c.superseded_by}. ` : null,
          c.updated ? `Updated ${c.updated}` : null,
        ].filter(Boolean);
        return h('li', { class: 'srcitem' + (c.status === 'superseded' ? ' superseded' : '') },
          h('button', { type: 'button', class: 'srcbtn', onclick: (e) => openSource(c, e.currentTarget) },
            refs.map((r) => h('span', { class: 'num', 'aria-hidden': 'true' }, String(r))),
            h('span', { class: 'sr' }, `Source${refs.length > 1 ? 's' : ''} ${refs.join(', ')}: `),
            h('span', null, c.title, sections.length ? h('span', { class: 'srcpath' }, ' · ' + sections.join('; ')) : null),
            label ? h('span', { class: 'sr' }, ` (${label.toLowerCase()})`) : null),
          meta.length ? h('p', { class: 'srcmeta' }, meta) : null);
      })));
  }
  function cautionsView(warnings) {
    return h('div', { class: 'cautions', role: 'note' }, h('p', { class: 'label' }, 'Caution'),
      h('ul', null, warnings.map((w) => h('li', null, w.source === 'model'
        ? `The generated answer repeated an instruction to ${w.reason}. It was withheld: do not follow it.`
        : `${w.title ? `The article "${w.title}"` : 'A source article'} contains an instruction to ${w.reason}. `
          + 'It was withheld: do not follow it.'))));
  }
  function unsupportedOf(answer) { // sentences the sources do not support (flagged ones were cut from the text)
    const sentences = answer && answer.grounding && Array.isArray(answer.grounding.sentences) ? answer.grounding.sentences : [];
    return sentences.filter((s) => s && s.supported === false && !s.flagged && typeof s.text === 'string')
      .map((s) => s.text.slice(0, 2000));
  }
  function cleanWarnings(list) { // the withheld instruction itself is never shown: reason and article only
    return (Array.isArray(list) ? list : []).filter((w) => w && typeof w.reason === 'string').slice(0, 10)
      .map((w) => ({ reason: w.reason.slice(0, 200), title: w.title ? String(w.title).slice(0, 200) : '',
        source: w.source === 'model' ? 'model' : 'article' }));
  }
  const UNSUPPORTED_TIP = 'Not supported by the cited sources';
  function markUnsupported(root, sentences) { // wrap each unsupported sentence and say so in words
    for (const sentence of sentences) {
      const key = sentence.replace(/[.!?:;]+$/, '').trim();
      if (!key) continue;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let done = false;
      for (let node; !done && (node = walker.nextNode());) {
        const at = node.data.indexOf(key);
        if (at < 0 || node.parentNode.closest('.unsupported')) continue;
        const rest = node.splitText(at);
        rest.splitText(key.length);
        const span = h('span', { class: 'unsupported', title: UNSUPPORTED_TIP });
        rest.replaceWith(span);
        span.append(rest);
        span.after(h('span', { class: 'unsupnote' }, 'not in the sources'));
        done = true;
      }
      if (done) continue;
      const probe = key.slice(0, 40); // formatting split the sentence: mark its whole paragraph instead
      const block = [...root.querySelectorAll('p,li')].find((b) => b.textContent.includes(probe)
        && !b.classList.contains('unsupported'));
      if (block) {
        block.classList.add('unsupported');
        block.title = UNSUPPORTED_TIP;
        block.append(h('span', { class: 'unsupnote' }, 'not in the sources'));
      }
    }
    return root;
  }
  function citeButton(c) {
    return h('button', {
      type: 'button', class: 'cite', 'aria-label': `Source ${c.ref}: ${c.title}`,
      onclick: (e) => openSource(c, e.currentTarget),
    }, String(c.ref));
  }
  function cleanCitations(list) { // keep what the source view needs, one entry per marker number
    const seen = new Map();
    for (const c of Array.isArray(list) ? list : []) {
      const ref = Number(c && c.ref);
      if (!Number.isInteger(ref) || seen.has(ref)) continue;
      seen.set(ref, {
        ref, title: String(c.title || c.source || 'Untitled article'), source: String(c.source || ''),
        url: c.url ? String(c.url) : '', text: String(c.text || ''), doc_id: String(c.doc_id || ''),
        headings: Array.isArray(c.headings) ? c.headings.map(String) : [],
        status: ['superseded', 'upcoming'].includes(c.status) ? c.status : 'current',
        updated: c.updated ? String(c.updated).slice(0, 40) : '', superseded_by: c.superseded_by ? String(c.superseded_by).slice(0, 300) : '',
      });
      const it = seen.get(ref); // the first heading is usually the article title again
      if (it.headings[0] === it.title) it.headings.shift();
    }
    return [...seen.values()].sort((a, b) => a.ref - b.ref);
  }

  function openSource(c, from) {
    opener = from;
    srcKicker.textContent = `Source ${c.ref}` + (c.status === 'superseded' ? ' · Superseded' + (c.superseded_by
      ? `, replaced by ${c.superseded_by}` : '') : c.status === 'upcoming' ? ' · Not yet in effect' : '')
      + (c.updated ? ` · Updated ${c.updated}` : '');
    srcTitle.textContent = c.title;
    srcPath.textContent = c.headings.length ? 'Section: ' + c.headings.join(' › ') : '';
    srcPath.hidden = !c.headings.length;
    srcQuote.replaceChildren(markdown(c.text, null));
    const url = safeUrl(c.url);
    srcLink.replaceChildren(url ? link(url, 'Open the article') : c.source ? 'Article: ' + c.source : '');
    log.hidden = true;
    sourceView.hidden = false;
    sourceView.scrollTop = 0;
    srcTitle.focus();
  }
  function closeSource(focus = true) {
    if (sourceView.hidden) return;
    sourceView.hidden = true;
    log.hidden = false;
    if (focus) (opener && opener.isConnected ? opener : input).focus();
  }

  function feedbackView(m) {
    const note = h('span', { role: 'status' });
    const comment = h('textarea', {
      rows: '2', maxlength: '1000', 'aria-label': 'Comment (optional)', placeholder: 'What was good or missing? (optional)',
    });
    const thumb = (rating, label) => h('button', {
      type: 'button', class: 'thumb', 'aria-label': label, 'aria-pressed': String(!!m.feedback && m.feedback.rating === rating),
      onclick: () => rate(rating),
    }, icon(rating));
    const up = thumb('up', 'Helpful'), down = thumb('down', 'Not helpful');
    const commentForm = h('form', { class: 'fbform', hidden: !m.feedback || !!m.feedback.comment, onsubmit: sendComment },
      comment, h('button', { type: 'submit', class: 'btn' }, 'Send comment'));
    if (m.feedback) note.textContent = 'Thanks for the feedback.';
    async function rate(rating) {
      note.textContent = 'Sending…';
      try {
        await sendFeedback({ request_id: m.request_id, rating });
        m.feedback = { rating };
        save();
        up.setAttribute('aria-pressed', String(rating === 'up'));
        down.setAttribute('aria-pressed', String(rating === 'down'));
        note.textContent = 'Thanks for the feedback. Add a comment if you like.';
        commentForm.hidden = false;
      } catch (err) { note.textContent = 'Feedback not sent: ' + err.message; }
    }
    async function sendComment(e) {
      e.preventDefault();
      const text = comment.value.trim();
      if (!text) { comment.focus(); return; }
      note.textContent = 'Sending…';
      try {
        await sendFeedback({ request_id: m.request_id, rating: m.feedback.rating, comment: text });
        m.feedback.comment = true;
        save();
        commentForm.hidden = true;
        note.textContent = 'Comment sent. Thank you.';
        (m.feedback.rating === 'up' ? up : down).focus();
      } catch (err) { note.textContent = 'Comment not sent: ' + err.message; }
    }
    return h('div', null, h('div', { class: 'fbrow', role: 'group', 'aria-label': 'Rate this answer' },
      h('span', null, 'Helpful?'), up, down, note), commentForm);
  }

  // ---- talking to the service ------------------------------------------------------------------------
  class WidgetError extends Error {
    constructor(message, extra) { super(message); Object.assign(this, extra); }
  }
  async function credential() {
    if (!tokenProvider) return cfg.key;
    try {
      const token = await tokenProvider();
      return typeof token === 'string' ? token : '';
    } catch {
      throw new WidgetError('Could not get a sign-in token from this page. Reload it and try again.', { retry: true });
    }
  }
  async function post(path, body, signal, accept) {
    for (let attempt = 0; ; attempt++) {
      const headers = { 'Content-Type': 'application/json', Accept: accept };
      const token = await credential();
      if (token) headers.Authorization = 'Bearer ' + token;
      const res = await fetch(cfg.endpoint + path, { method: 'POST', headers, body: JSON.stringify(body), signal });
      // A 401 with a host token provider usually means an expired token: ask the page for a fresh one, once.
      if (res.status !== 401 || !tokenProvider || attempt) return res;
      if (res.body) res.body.cancel().catch(() => {});
    }
  }
  function seconds(value) { // Retry-After: delay-seconds or an HTTP date
    if (value == null || value === '') return null;
    const n = Number(value);
    const s = Number.isFinite(n) ? n : (Date.parse(value) - Date.now()) / 1000;
    return Number.isFinite(s) ? Math.max(1, Math.ceil(s)) : null;
  }
  function problemError(status, p, retryAfter) {
    const said = p && typeof p.detail === 'string' ? p.detail : p && typeof p.title === 'string' ? p.title : '';
    const detail = said.slice(0, 300);
    if (status === 429) {
      const wait = seconds(retryAfter) || seconds(p && p.retry_after) || 10;
      return new WidgetError(`Too many questions right now. Try again in ${wait}\u00a0s.`, { status, wait });
    }
    if (status === 401) {
      return new WidgetError('You are not signed in, or this widget\'s key is not valid. Reload the page and try again.',
        { status, retry: true });
    }
    if (status === 403) return new WidgetError(detail || 'This page is not allowed to use the answer service.', { status });
    if (status >= 500) {
      return new WidgetError(`The answer service had a problem (error ${status}). ${detail || 'Please try again.'}`,
        { status, retry: true });
    }
    return new WidgetError(detail || `The question could not be answered (error ${status}).`, { status });
  }
  async function failure(res) {
    let body = null;
    try { body = await res.json(); } catch { /* not JSON: the status says enough */ }
    return problemError(res.status, body, res.headers.get('Retry-After'));
  }
  function asWidgetError(err, why) {
    if (err instanceof WidgetError) return err;
    if (why === 'stall') return new WidgetError('The answer service stopped responding. Please try again.', { retry: true });
    if (err instanceof TypeError || (err && err.name === 'NetworkError')) {
      return new WidgetError(navigator.onLine === false
        ? 'You are offline. Check your connection, then retry.'
        : 'Could not reach the answer service. Check your connection, then retry.', { retry: true });
    }
    return new WidgetError('Something went wrong: ' + String(err && err.message || err).slice(0, 200), { retry: true });
  }
  async function sendFeedback(body) {
    let res;
    try { res = await post('/v1/feedback', body, undefined, 'application/json'); }
    catch (err) { throw asWidgetError(err); }
    if (!res.ok) throw await failure(res);
    emit('feedback', body);
  }

  // Server-Sent Events over fetch (EventSource cannot POST): blocks separated by a blank line.
  async function readEvents(res, onEvent) {
    if (!res.body) throw new WidgetError('This browser cannot read streamed answers.', {});
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    const flush = (block) => {
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (!line || line[0] === ':') continue; // comments keep the connection alive
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        const value = i < 0 ? '' : line.slice(i + (line[i + 1] === ' ' ? 2 : 1));
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (!data.length) return;
      let parsed;
      try { parsed = JSON.parse(data.join('\n')); } catch { return; }
      onEvent(event, parsed);
    };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        buf += decoder.decode(value, { stream: !done });
        buf = buf.replace(done ? /\r\n?/g : /\r\n|\r(?!$)/g, '\n');
        for (let i; (i = buf.indexOf('\n\n')) >= 0; buf = buf.slice(i + 2)) flush(buf.slice(0, i));
        if (done) { if (buf.trim()) flush(buf); return; }
      }
    } finally { reader.cancel().catch(() => {}); }
  }

  // ---- asking --------------------------------------------------------------------------------------
  function historyBefore(end) { // completed question/answer pairs before messages[end]
    const turns = [];
    for (let i = 0; i + 1 < end; i++) {
      const q = messages[i], a = messages[i + 1];
      if (q.role === 'user' && a.role === 'assistant' && !a.stopped && a.text) {
        turns.push({ role: 'user', content: q.text.slice(0, 8000) }, { role: 'assistant', content: a.text.slice(0, 8000) });
      }
    }
    return turns.slice(-2 * HISTORY_TURNS);
  }
  function setProgress(text) { progressText.textContent = text; }
  function setBusy(on) {
    const focused = root.activeElement;
    sendBtn.hidden = on;
    stopBtn.hidden = !on;
    progress.hidden = !on;
    if (on && focused === sendBtn) stopBtn.focus();
    if (!on && focused === stopBtn) input.focus();
  }
  function submit() {
    const question = input.value.trim();
    if (busy) return;
    if (!question) { input.focus(); return; }
    input.value = '';
    autosize();
    closeSource(false);
    messages.push({ role: 'user', text: question });
    save();
    if (empty.isConnected) empty.remove();
    log.append(renderMessage(messages[messages.length - 1]));
    scrollDown(true);
    ask(question);
  }

  async function ask(question) {
    if (busy) return;
    const history = historyBefore(messages.length - 1);
    const job = { controller: new AbortController(), why: '' };
    const view = h('div', { class: 'msg bot pending', 'aria-busy': 'true' },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')));
    busy = job;
    log.append(view);
    scrollDown(true);
    setBusy(true);
    setProgress('Searching the articles…');
    const started = Date.now();
    let lastByte = started, text = '', answer = null, frame = 0;
    const tick = setInterval(() => {
      const now = Date.now(), s = Math.round((now - started) / 1000);
      if (now - lastByte > STALL_MS) { job.why = 'stall'; job.controller.abort(); }
      else if (now - started > SLOW_MS) {
        setProgress(`${text ? 'Still writing' : 'Still searching'}… ${s} s. Slow today: you can stop and retry.`);
      }
    }, 1000);
    const paint = () => { frame = 0; view.replaceChildren(markdown(text, null)); scrollDown(); };
    try {
      const res = await post('/v1/ask/stream', { question, history }, job.controller.signal, 'text/event-stream');
      if (!res.ok) throw await failure(res);
      await readEvents(res, (event, data) => {
        lastByte = Date.now();
        if (event === 'delta' && data && typeof data.text === 'string') {
          if (!text) setProgress('Writing the answer…');
          text += data.text;
          if (!frame) frame = requestAnimationFrame(paint);
        } else if (event === 'answer') answer = data;
        else if (event === 'error') throw problemError(Number(data && data.status) || 500, data);
      });
      if (!answer || typeof answer.answer !== 'string') {
        throw new WidgetError('The answer was cut off before it finished. Please try again.', { retry: true });
      }
      const m = {
        role: 'assistant', text: answer.answer, abstained: !!answer.abstained,
        citations: answer.abstained ? [] : cleanCitations(answer.citations), request_id: String(answer.request_id || ''),
        grounded: answer.grounded !== false, unsupported: unsupportedOf(answer), warnings: cleanWarnings(answer.warnings),
      };
      messages.push(m);
      save();
      const follow = log.scrollHeight - log.scrollTop - log.clientHeight < 90;
      const shown = renderMessage(m);
      view.replaceWith(shown);
      // Follow the conversation, but a long answer is read from its first line, not its last.
      if (follow) log.scrollTop = Math.min(log.scrollHeight, shown.offsetTop - 12);
      announce(m.abstained ? 'Not found in the articles.' : 'Answer: ' + plain(m.text));
      emit('answer', { request_id: m.request_id, abstained: m.abstained, citations: m.citations.length });
    } catch (err) {
      if (job.why === 'reset') return; // "New chat" already cleared the view
      if (job.why === 'stop') {
        if (text) {
          const m = { role: 'assistant', text, stopped: true, citations: [] };
          messages.push(m);
          save();
          view.replaceWith(renderMessage(m));
        } else view.replaceWith(h('p', { class: 'msg note' }, 'Stopped.'));
        announce('Stopped.');
        return;
      }
      const e = asWidgetError(err, job.why);
      view.replaceWith(errorView(e, question));
      scrollDown(true);
      announce(e.message);
      emit('error', { status: e.status || 0, message: e.message });
    } finally {
      clearInterval(tick);
      cancelAnimationFrame(frame);
      if (busy === job) { busy = null; setBusy(false); }
    }
  }

  function errorView(e, question) {
    const message = h('span', null, e.message);
    const retry = h('button', {
      type: 'button', class: 'btn', onclick: () => {
        if (busy) return;
        box.remove();
        ask(question);
        input.focus();
      },
    }, 'Retry');
    const box = h('div', { class: 'msg err' }, message, e.retry || e.wait ? retry : null);
    if (e.wait) { // rate limited: count down, then let the person retry
      let left = e.wait;
      retry.disabled = true;
      const timer = setInterval(() => {
        left -= 1;
        if (!box.isConnected || left <= 0) {
          clearInterval(timer);
          retry.disabled = false;
          message.textContent = 'You can ask again now.';
        } else message.textContent = `Too many questions right now. Try again in ${left}\u00a0s.`;
      }, 1000);
    }
    return box;
  }

  function stop() {
    if (!busy) return;
    busy.why = 'stop';
    busy.controller.abort();
  }

  // ---- open, close, new chat, keyboard ----------------------------------------------------------------
  function open(focus = true) {
    if (!cfg.inline && !isOpen) {
      isOpen = true;
      wrap.classList.add('open');
      panel.hidden = false;
      launcher.setAttribute('aria-expanded', 'true');
      launcher.setAttribute('aria-label', 'Close chat: ' + cfg.title);
      save();
      scrollDown(true);
      emit('open');
    }
    if (focus) input.focus();
  }
  function close(focusLauncher = true) {
    if (cfg.inline || !isOpen) return;
    isOpen = false;
    closeSource(false);
    wrap.classList.remove('open');
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', 'Open chat: ' + cfg.title);
    save();
    if (focusLauncher) launcher.focus();
    emit('close');
  }
  function newChat() {
    if (busy) {
      busy.why = 'reset';
      busy.controller.abort();
      busy = null;
      setBusy(false);
    }
    messages = [];
    save();
    closeSource(false);
    renderAll();
    announce('New chat started.');
    input.focus();
  }

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
  });
  input.addEventListener('input', autosize);
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    if (!sourceView.hidden) { e.preventDefault(); closeSource(); }
    else if (isOpen) { e.preventDefault(); close(); }
  });

  // ---- the page-facing hook ---------------------------------------------------------------------------
  window.RagqaWidget = Object.freeze({
    version: '1.0.0',
    /** fn: async () => token string; called before each request and again after a 401. */
    setTokenProvider(fn) {
      if (fn != null && typeof fn !== 'function') throw new TypeError('RagqaWidget.setTokenProvider expects a function');
      tokenProvider = fn || null;
    },
    open: () => open(),
    close: () => close(),
    newChat: () => newChat(),
  });

  function mount() {
    if (cfg.inline && script && script.parentNode && document.body && document.body.contains(script)) script.after(host);
    else document.body.append(host);
    renderAll();
    if (cfg.inline || cfg.open || saved.open) open(false);
    emit('ready', { version: window.RagqaWidget.version });
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
})();
