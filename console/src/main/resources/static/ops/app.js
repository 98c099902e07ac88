// The operators' topic dashboards: asks for the operator key once, then shows topics, consumer groups and
// dead letters, kept up to date by the live stream. All data is written with textContent, never as HTML.
import * as api from './api.js';
import { readStream } from './stream.js';

const $ = (id) => document.getElementById(id);

/** Makes an element: el('td', { class: 'num', 'data-test': 'x' }, 'text', child…). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
const pretty = (text) => {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text ?? ''; }
};

const state = {
  operator: null,
  overview: null,
  openTopics: new Map(), // topic -> { total, details }
  openDeadLetters: new Map(), // dlt -> { depth, details }
  stop: null,
  unavailable: false, // the notice shows the stream's 'unavailable' message

};

// ---- key -------------------------------------------------------------------------------------------------

async function start() {
  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    api.storeKey($('key-input').value.trim());
    $('key-input').value = '';
    await open();
  });
  $('sign-out').addEventListener('click', () => signOut());
  if (api.storedKey()) await open();
  else showKeyForm();
}

function showKeyForm(message) {
  $('dashboard').hidden = true;
  $('session').hidden = true;
  $('key-form').hidden = false;
  $('key-error').hidden = !message;
  $('key-error').textContent = message ?? '';
  $('key-input').focus();
}

function signOut(message) {
  state.stop?.abort();
  state.stop = null;
  api.forgetKey();
  state.openTopics.clear();
  state.openDeadLetters.clear();
  showKeyForm(message);
}

async function open() {
  try {
    state.operator = await api.me();
  } catch (e) {
    signOut(e.message);
    return;
  }
  $('key-form').hidden = true;
  $('dashboard').hidden = false;
  $('session').hidden = false;
  $('operator-name').textContent = state.operator.keyName;
  live();
}

// ---- live stream -----------------------------------------------------------------------------------------

function setStatus(status, text) {
  $('live-status').dataset.state = status;
  $('live-status').textContent = text ?? status;
}

function notice(text, isError = false) {
  $('notice').hidden = !text;
  $('notice').textContent = text ?? '';
  $('notice').classList.toggle('error', isError);
}

async function live() {
  const stop = new AbortController();
  state.stop = stop;
  let wait = 1000;
  while (!stop.signal.aborted) {
    setStatus('connecting', 'connecting…');
    try {
      await readStream((name, data) => {
        wait = 1000;
        if (name === 'overview') {
          setStatus('live', 'live');
          if (state.unavailable) notice(null);
          state.unavailable = false;
          render(data);
        } else if (name === 'unavailable') {
          setStatus('unavailable', 'Kafka unavailable');
          state.unavailable = true;
          notice(data.detail, true);
        }
      }, stop.signal);
    } catch (e) {
      if (stop.signal.aborted) return;
      if (e instanceof api.ApiError && (e.status === 401 || e.status === 403)) {
        signOut(e.message);
        return;
      }
    }
    if (stop.signal.aborted) return;
    setStatus('reconnecting', 'reconnecting…');
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 30000);
  }
}

// ---- rendering -------------------------------------------------------------------------------------------

function render(overview) {
  state.overview = overview;
  $('generated-at').textContent = when(overview.generatedAt);
  $('generated-at').dateTime = overview.generatedAt;
  renderTopics(overview.topics);
  renderGroups(overview.groups);
  renderDeadLetters(overview.deadLetters);
}

function renderTopics(topics) {
  const rows = [];
  for (const t of topics) {
    const open = state.openTopics.get(t.name);
    rows.push(el('tr', { 'data-test': 'topic-row', 'data-topic': t.name },
      el('td', {}, el('code', {}, t.name)),
      el('td', { class: 'num', 'data-test': 'topic-last-minute' }, t.lastMinute),
      el('td', { class: 'num', 'data-test': 'topic-total' }, t.total),
      el('td', { class: 'num', 'data-test': 'topic-partitions' }, t.partitions),
      el('td', { class: `num ${t.deadLetterDepth > 0 ? 'has-dead-letters' : ''}`, 'data-test': 'topic-dlt-depth' },
        t.deadLetterDepth),
      el('td', {}, el('button', {
        type: 'button', 'data-test': 'topic-toggle', 'aria-expanded': String(!!open),
        onclick: () => toggleTopic(t),
      }, open ? 'Hide events' : 'Latest events'))));
    if (open) {
      rows.push(el('tr', { class: 'details', 'data-test': 'topic-events', 'data-topic': t.name },
        el('td', { colspan: 6 }, open.details ?? el('span', { class: 'muted' }, 'loading…'))));
      if (open.total !== t.total) loadTopic(t.name, t.total);
    }
  }
  $('topics-table').tBodies[0].replaceChildren(...rows);
}

function toggleTopic(t) {
  if (state.openTopics.has(t.name)) state.openTopics.delete(t.name);
  else state.openTopics.set(t.name, { total: null, details: null });
  renderTopics(state.overview.topics);
}

async function loadTopic(name, total) {
  const open = state.openTopics.get(name);
  open.total = total;
  try {
    const detail = await api.topic(name);
    open.details = detail.latest.length
      ? el('ul', { class: 'events' }, detail.latest.map(eventItem))
      : el('span', { class: 'muted' }, 'No events on this topic.');
  } catch (e) {
    open.details = el('span', { class: 'error' }, e.message);
  }
  if (state.openTopics.get(name) === open) renderTopics(state.overview.topics);
}

function eventItem(e) {
  return el('li', { 'data-test': 'event', 'data-partition': e.partition, 'data-offset': e.offset },
    el('div', { class: 'meta' },
      el('span', {}, el('b', {}, 'type '), el('code', { 'data-test': 'event-type' }, e.ceType ?? '—')),
      el('span', {}, el('b', {}, 'key '), el('code', { 'data-test': 'event-key' }, e.key ?? '—')),
      el('span', {}, el('b', {}, 'id '), el('code', { 'data-test': 'event-id' }, e.ceId ?? '—')),
      el('span', {}, el('b', {}, 'time '), when(e.ceTime ?? e.timestamp)),
      el('span', {}, el('b', {}, 'at '), `${e.partition}/${e.offset}`),
      e.truncated ? el('span', { class: 'muted', 'data-test': 'event-truncated' },
        `truncated: first ${e.value.length} of ${e.size} bytes`) : null),
    el('pre', { 'data-test': 'event-value' }, e.truncated ? e.value : pretty(e.value)));
}

function renderGroups(groups) {
  $('groups-empty').hidden = groups.length > 0;
  $('groups').replaceChildren(...groups.map((g) => el('div', { class: 'group', 'data-test': 'group-row', 'data-group': g.groupId },
    el('h3', {},
      el('code', {}, g.groupId),
      el('span', { class: 'muted', 'data-test': 'group-state' }, g.state),
      el('span', { class: g.totalLag > 0 ? 'lagging' : '', 'data-test': 'group-lag' }, `lag ${g.totalLag}`),
      el('span', { class: 'muted', 'data-test': 'group-members' },
        `${g.members.length} member${g.members.length === 1 ? '' : 's'}`)),
    g.members.length ? el('p', { class: 'muted' }, g.members.map((m) =>
      `${m.clientId} @ ${m.host} (${m.assignment.join(', ') || 'nothing assigned'})`).join(' · ')) : null,
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'Topic'), el('th', { class: 'num' }, 'Partition'),
        el('th', { class: 'num' }, 'Committed'), el('th', { class: 'num' }, 'End'), el('th', { class: 'num' }, 'Lag'))),
      el('tbody', {}, g.partitions.map((p) => el('tr', {
        'data-test': 'group-partition', 'data-topic': p.topic, 'data-partition': p.partition,
      },
        el('td', {}, el('code', {}, p.topic)),
        el('td', { class: 'num' }, p.partition),
        el('td', { class: 'num', 'data-test': 'partition-committed' }, p.committed),
        el('td', { class: 'num', 'data-test': 'partition-end' }, p.end),
        el('td', { class: `num ${p.lag > 0 ? 'lagging' : ''}`, 'data-test': 'partition-lag' }, p.lag))))))));
}

function renderDeadLetters(deadLetters) {
  const rows = [];
  for (const d of deadLetters) {
    const open = state.openDeadLetters.get(d.topic);
    rows.push(el('tr', { 'data-test': 'dlt-row', 'data-topic': d.topic },
      el('td', {}, el('code', {}, d.topic)),
      el('td', {}, el('code', {}, d.originalTopic)),
      el('td', { class: `num ${d.depth > 0 ? 'has-dead-letters' : ''}`, 'data-test': 'dlt-depth' }, d.depth),
      el('td', {}, d.depth > 0 || open ? el('button', {
        type: 'button', 'data-test': 'dlt-toggle', 'aria-expanded': String(!!open),
        onclick: () => toggleDeadLetters(d),
      }, open ? 'Hide records' : 'Records') : null)));
    if (open) {
      rows.push(el('tr', { class: 'details', 'data-test': 'dlt-records', 'data-topic': d.topic },
        el('td', { colspan: 4 }, open.details ?? el('span', { class: 'muted' }, 'loading…'))));
      if (open.depth !== d.depth) loadDeadLetters(d.topic, d.depth);
    }
  }
  $('dlt-table').tBodies[0].replaceChildren(...rows);
}

function toggleDeadLetters(d) {
  if (state.openDeadLetters.has(d.topic)) state.openDeadLetters.delete(d.topic);
  else state.openDeadLetters.set(d.topic, { depth: null, details: null });
  renderDeadLetters(state.overview.deadLetters);
}

async function loadDeadLetters(dlt, depth) {
  const open = state.openDeadLetters.get(dlt);
  open.depth = depth;
  try {
    const detail = await api.deadLetters(dlt);
    open.details = detail.records.length
      ? el('ul', { class: 'letters' }, detail.records.map((r) => deadLetterItem(dlt, r)))
      : el('span', { class: 'muted' }, 'No dead letters.');
  } catch (e) {
    open.details = el('span', { class: 'error' }, e.message);
  }
  if (state.openDeadLetters.get(dlt) === open) renderDeadLetters(state.overview.deadLetters);
}

function deadLetterItem(dlt, r) {
  const e = r.record;
  let action;
  if (r.replay) {
    action = el('span', { class: 'replayed', 'data-test': 'dlt-replayed' },
      `replayed ${when(r.replay.replayedAt)} by ${r.replay.replayedBy} → ${r.replay.topic} ${r.replay.topicPartition}/${r.replay.topicOffset}`);
  } else if (r.valueDropped) {
    action = el('span', { class: 'muted' }, `value dropped (${r.valueDropped}): cannot be replayed`);
  } else if (state.operator?.mayReplay) {
    action = el('button', { type: 'button', class: 'danger', 'data-test': 'dlt-replay', onclick: () => confirmReplay(dlt, r) },
      'Replay');
  } else {
    action = el('span', { class: 'muted', 'data-test': 'dlt-replay-not-allowed' }, 'this key may not replay');
  }
  return el('li', { 'data-test': 'dlt-record', 'data-partition': e.partition, 'data-offset': e.offset },
    el('div', { class: 'reason', 'data-test': 'dlt-reason' }, r.reason ?? r.exceptionMessage ?? 'no reason recorded'),
    el('div', { class: 'meta' },
      el('span', {}, el('b', {}, 'type '), el('code', {}, e.ceType ?? '—')),
      el('span', {}, el('b', {}, 'key '), el('code', {}, e.key ?? '—')),
      el('span', {}, el('b', {}, 'id '), el('code', {}, e.ceId ?? '—')),
      el('span', {}, el('b', {}, 'from '), `${r.originalTopic ?? '?'} ${r.originalPartition ?? '?'}/${r.originalOffset ?? '?'}`),
      r.consumerGroup ? el('span', {}, el('b', {}, 'group '), el('code', {}, r.consumerGroup)) : null,
      r.replayedFrom ? el('span', { 'data-test': 'dlt-replayed-from' }, el('b', {}, 'copy of '), r.replayedFrom) : null,
      r.exceptionClass ? el('span', {}, el('b', {}, 'failure '), el('code', {}, r.exceptionClass.split('.').pop())) : null,
      el('span', {}, el('b', {}, 'at '), `${e.partition}/${e.offset}`),
      action),
    e.value !== undefined && e.value !== null ? el('pre', { 'data-test': 'dlt-value' }, e.truncated ? e.value : pretty(e.value)) : null);
}

function confirmReplay(dlt, r) {
  const dialog = $('replay-dialog');
  $('replay-target').textContent = r.originalTopic ?? dlt.replace(/-dlt$/, '');
  $('replay-partition').textContent = r.record.partition;
  $('replay-offset').textContent = r.record.offset;
  dialog.returnValue = '';
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'replay') return;
    state.unavailable = false;
    try {
      const replay = await api.replay(dlt, r.record.partition, r.record.offset);
      notice(`Replayed to ${replay.topic} partition ${replay.topicPartition}, offset ${replay.topicOffset}.`);
    } catch (e) {
      notice(e.message, true);
    }
    const open = state.openDeadLetters.get(dlt);
    if (open) loadDeadLetters(dlt, open.depth);
  }, { once: true });
  dialog.showModal();
}

start();
