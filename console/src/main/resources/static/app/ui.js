// Small DOM helpers: every text goes in as text (never as HTML), so nothing a service returns can run as script.

/** h('td', {class: 'mono'}, 'text', child…): an element with attributes and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const TONES = {
  HOSTED: 'ok', ISSUED: 'ok', VERIFIED: 'ok', SUCCEEDED: 'ok', DEPLOYED: 'ok', VALID: 'ok',
  PENDING_ISSUANCE: 'info', RENEWING: 'info', PENDING: 'info', RUNNING: 'info', WAITING: 'info', APPLIED: 'info',
  EXPIRING: 'warn', RENEWAL_FAILED: 'warn', PAUSED: 'idle', CANCELLED: 'idle', SKIPPED: 'idle', LOST: 'warn',
  COVERED: 'ok', REPLACE: 'info', NONE: 'idle', REFUSED: 'bad',
  ISSUANCE_FAILED: 'bad', EXPIRED: 'bad', FAILED: 'bad', ROLLED_BACK: 'warn', TIMED_OUT: 'bad', ABANDONED: 'idle',
};

/** A status as a coloured badge; the text is the status itself, as the API names it. */
export function badge(status) {
  const s = status || 'UNKNOWN';
  return h('span', {class: 'badge ' + (TONES[s] || (s.startsWith('NO_') || s.startsWith('WRONG') ? 'bad' : 'idle')),
    'data-status': s}, s);
}

/** An ISO instant as local date and time, or a dash. */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
}

/** A button that copies a text to the clipboard and says so. */
export function copyButton(text, label = 'Copy') {
  const b = h('button', {type: 'button', class: 'secondary copy', title: 'Copy to the clipboard'}, label);
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = h('textarea', {}, text); // clipboard API refused (no secure context): the old way
      document.body.append(area); area.select(); document.execCommand('copy'); area.remove();
    }
    b.textContent = 'Copied';
    setTimeout(() => { b.textContent = label; }, 1500);
  });
  return b;
}

/** A visible error box with what the service said. */
export function errorBox(error) {
  return h('div', {class: 'error', role: 'alert'}, error && error.message ? error.message : String(error));
}

/** Replaces the page's content. */
export function show(...children) {
  const view = document.getElementById('view');
  view.replaceChildren(...children.flat());
  return view;
}
