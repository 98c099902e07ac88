// A certificate's timeline: every step that touched it, from the records each service keeps of it (no event
// store of its own): the order (order-service), the verification (verification-service), the versions, renewal
// attempts, deployments and alerts (hosting-service's certificate, which records every CertificateIssued,
// RenewalDue, DeploymentCompleted and CertificateExpiring it applied). Newest first.
import {api, seg, ApiError} from '../api.js';
import {h, show, badge, when, errorBox} from '../ui.js';

export async function render([certificateId], page) {
  const list = h('ol', {class: 'timeline card', id: 'timeline'});
  const message = h('div');
  show(h('div', {class: 'actions'}, h('h1', {style: 'flex:1;margin:0'}, 'Timeline'),
    h('a', {class: 'button secondary', href: '#/certificates/' + seg(certificateId)}, 'Back to the certificate')),
  message, list);

  async function refresh() {
    try {
      const entries = await collect(certificateId);
      entries.sort((a, b) => (b.at || '').localeCompare(a.at || ''));
      list.replaceChildren(...entries.map((e) => h('li', {},
        h('span', {class: 'at'}, when(e.at)), e.status ? [badge(e.status), ' '] : null, e.text,
        h('span', {class: 'source'}, e.source))));
      message.replaceChildren();
    } catch (e) {
      message.replaceChildren(errorBox(e));
    }
  }
  await refresh();
  page.every(5000, refresh);
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
  const [order, verification] = await Promise.all([
    c.orderId ? optional(api('order', 'v1/orders/' + seg(c.orderId))) : null,
    optional(api('verification', 'v1/certificates/' + seg(certificateId) + '/verification')),
  ]);
  const out = [];
  const add = (at, text, source, status) => { if (at) out.push({at, text, source, status}); };
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
