// A certificate's timeline: every event on certflow's topics that touched it (the console reads them off Kafka,
// after hosting-service confirmed with the user's own key that the certificate is theirs), oldest event last at the
// bottom, newest first. What no event says (hosting taking the certificate in, a pause) comes from hosting-service's
// record of it. When the topics cannot be read (Kafka down, events past their retention), the records each service
// keeps stand in for the events, and the page says so.
import {api, consoleApi, seg, ApiError} from '../api.js';
import {h, show, badge, when, errorBox} from '../ui.js';

export async function render([certificateId], page) {
  const list = h('ol', {class: 'timeline card', id: 'timeline'});
  const message = h('div');
  const notice = h('p', {class: 'muted', id: 'timeline-source'});
  show(h('div', {class: 'actions'}, h('h1', {style: 'flex:1;margin:0'}, 'Timeline'),
    h('a', {class: 'button secondary', href: '#/certificates/' + seg(certificateId)}, 'Back to the certificate')),
  notice, message, list);

  async function refresh() {
    try {
      const {entries, source} = await collect(certificateId);
      entries.sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0));
      list.replaceChildren(...entries.map(entry));
      notice.textContent = source;
      message.replaceChildren();
    } catch (e) {
      message.replaceChildren(errorBox(e));
    }
  }
  await refresh();
  page.every(5000, refresh);
}

function entry(e) {
  return h('li', {'data-event': e.event || ''},
    h('span', {class: 'at'}, when(e.at)), e.status ? [badge(e.status), ' '] : null,
    e.event ? [h('b', {}, e.event), ' '] : null, e.text,
    h('span', {class: 'source'}, e.source),
    e.value ? h('details', {}, h('summary', {}, 'event'), h('pre', {}, pretty(e.value))) : null);
}

function pretty(value) {
  try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
}

async function optional(call) {
  try {
    return await call;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

async function collect(certificateId) {
  const c = await api('hosting', 'v1/certificates/' + seg(certificateId));
  let timeline = null;
  let failure = null;
  try {
    timeline = await consoleApi('timeline/certificates/' + seg(certificateId));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status < 500) throw e;
    failure = e;
  }
  const out = [];
  const add = (at, text, source, status) => { if (at) out.push({at, text, source, status}); };
  if (timeline && timeline.events.length) {
    for (const e of timeline.events) out.push(fromEvent(e));
    if (c.paused) add(c.paused.at, 'Hosting paused' + (c.paused.reason ? ': ' + c.paused.reason : ''), 'hosting', 'PAUSED');
    add(c.createdAt, 'Hosting took the certificate in', 'hosting');
    return {entries: out, source: timeline.events.length + ' events from the topics since ' + when(timeline.since)
      + (timeline.cut ? '; older events were not read (the topics hold more than the timeline scans)' : '') + '.'};
  }
  return {entries: await fromRecords(c), source: failure ? 'The topics could not be read (' + failure.message + '); '
    + 'this is what the services recorded.' : 'No events of it are on the topics any more; this is what the services recorded.'};
}

/** An event as a line: its name (from its topic), what it says, and the service that published it. */
function fromEvent(e) {
  let v = {};
  try { v = JSON.parse(e.value) || {}; } catch { /* a value cut at the size bound: shown raw below */ }
  const name = e.topic.replace(/^certflow\./, '').split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  const [text, status] = describe(e.topic.replace(/^certflow\./, ''), v);
  return {at: e.ceTime || e.timestamp, event: name, text, status, source: e.ceSource || '', value: e.value};
}

const names = (xs) => (xs || []).join(', ');

function describe(topic, v) {
  switch (topic) {
    case 'purchase-completed': return ['Purchase of ' + v.product + ' for ' + names(v.domains) + ', ' + v.termYears
      + ' year term' + (v.hosting ? ', hosted' : ''), 'PURCHASED'];
    case 'purchase-accepted': return ['Purchase accepted (' + v.status + ')', 'ACCEPTED'];
    case 'purchase-rejected': return ['Purchase rejected: ' + v.reason, 'REJECTED'];
    case 'purchase-cancelled': return ['Purchase cancelled' + (v.reason ? ': ' + v.reason : ''), 'CANCELLED'];
    case 'certificate-requested': return ['Certificate requested for ' + names(v.domains)
      + (v.verificationMethod ? ', verified by ' + v.verificationMethod : '') + (v.caProfile ? ', CA ' + v.caProfile : ''), 'APPLIED'];
    case 'domains-verified': return ['Domains verified: ' + (v.domains || []).map((d) => d.domain + ' (' + d.method + ')')
      .join(', '), 'VERIFIED'];
    case 'challenge-requested': return ['ACME challenge: ' + (v.challenges || []).length + ' TXT record(s) to publish, '
      + (v.challenges || []).map((c) => c.recordName).join(', '), 'CHALLENGE'];
    case 'challenge-ready': return [v.ready ? 'Challenge records published and seen on the authoritative servers'
      : 'Challenge records not ready' + (v.reason ? ': ' + v.reason : ''), v.ready ? 'READY' : 'FAILED'];
    case 'certificate-issued': return ['Version ' + v.serialNumber + ' issued by ' + v.issuer + ', valid until '
      + when(v.notAfter) + (v.replacesSerialNumber ? ', replacing ' + v.replacesSerialNumber : ''), 'ISSUED'];
    case 'issuance-failed': return ['Issuance failed: ' + v.reason + (v.retryable ? ' (retried)' : ''), 'FAILED'];
    case 'renewal-due': return ['Renewal due' + (v.reason ? ' (' + v.reason + ')' : '') + (v.manual ? ', asked by hand' : ''), 'RENEWING'];
    case 'deployment-completed': return ['Deployment of ' + v.serialNumber + ' (' + v.trigger + ') to '
      + (v.results || []).map((r) => (r.resourceName || r.resourceId) + ' ' + r.status).join(', '),
    v.succeeded ? 'SUCCEEDED' : 'FAILED'];
    case 'certificate-expiring': return ['Expiry alert for ' + v.serialNumber + ', ' + v.daysLeft + ' days left'
      + (v.reason ? ': ' + v.reason : ''), 'EXPIRING'];
    case 'order-cancelled': return ['Order cancelled' + (v.reason ? ': ' + v.reason : '') + (v.revoke ? ', revoke' : ''), 'CANCELLED'];
    case 'certificate-revoked': return ['Version ' + v.serialNumber + ' revoked' + (v.reason ? ' (' + v.reason + ')' : ''), 'REVOKED'];
    case 'renewal-window-changed': return ['The CA suggests renewing between ' + when(v.windowStart) + ' and '
      + when(v.windowEnd), null];
    case 'domain-verification-lost': return ['Verification of ' + v.domain + ' lost' + (v.reason ? ': ' + v.reason : ''), 'LOST'];
    default: return [topic, null];
  }
}

/** The timeline as the services recorded it, for when the events cannot be read. */
async function fromRecords(c) {
  const out = [];
  const add = (at, text, source, status) => { if (at) out.push({at, text, source, status}); };
  const [order, verification] = await Promise.all([
    c.orderId ? optional(api('order', 'v1/orders/' + seg(c.orderId))) : null,
    optional(api('verification', 'v1/certificates/' + seg(c.certificateId) + '/verification')),
  ]);
  if (order) {
    add(order.createdAt, 'Ordered ' + order.product + ' for ' + (order.domains || []).join(', ') + ', '
      + order.termYears + ' year term' + (order.hosting ? ', hosted' : ''), 'order');
    add(order.appliedAt, 'Certificate requested', 'order', 'APPLIED');
    add(order.lastFailureAt, 'Issuance failed: ' + order.lastFailure, 'order', 'FAILED');
    add(order.cancelledAt, 'Cancelled' + (order.cancelReason ? ': ' + order.cancelReason : ''), 'order', 'CANCELLED');
  }
  if (verification) {
    add(verification.requestedAt, 'Verification of ' + (verification.domains || []).map((d) => d.displayName || d.domain)
      .join(', ') + ' began', 'verification', 'PENDING');
    add(verification.verifiedAt, 'All domains verified', 'verification', 'VERIFIED');
  }
  for (const v of c.versions || []) {
    add(v.issuedAt, 'Version ' + v.serialNumber + ' issued, valid until ' + when(v.notAfter), 'hosting', 'ISSUED');
  }
  for (const a of c.attempts || []) {
    add(a.startedAt, 'Renewal started (' + a.trigger + (a.reason ? ': ' + a.reason : '') + ')', 'hosting', 'RENEWING');
    add(a.endedAt, 'Renewal ended' + (a.newSerial ? ': new serial ' + a.newSerial : '')
      + (a.failure ? ': ' + a.failure : ''), 'hosting', a.outcome);
  }
  for (const d of c.deployments || []) {
    add(d.at, 'Deployment of ' + d.serialNumber + ' (' + d.trigger + ')', 'deployment',
      d.succeeded ? 'SUCCEEDED' : 'FAILED');
  }
  if (c.lastAlert) {
    add(c.lastAlert.at, 'Expiry alert ' + c.lastAlert.kind + ' for ' + c.lastAlert.serialNumber + ', '
      + c.lastAlert.daysLeft + ' days left' + (c.lastAlert.reason ? ': ' + c.lastAlert.reason : ''), 'hosting', 'EXPIRING');
  }
  if (c.paused) add(c.paused.at, 'Hosting paused' + (c.paused.reason ? ': ' + c.paused.reason : ''), 'hosting', 'PAUSED');
  add(c.createdAt, 'Hosting took the certificate in', 'hosting');
  return out;
}
