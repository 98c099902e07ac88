// The certificate list (hosting-service): status, domains, expiry, next renewal; refreshed every few seconds.
import {api} from '../api.js';
import {h, show, badge, when, errorBox} from '../ui.js';

export async function render(_, page) {
  const body = h('tbody');
  const message = h('div');
  const table = h('table', {id: 'certificates'},
    h('thead', {}, h('tr', {}, ['Domains', 'Status', 'Serial', 'Expires', 'Next renewal', 'Last deployment']
      .map((t) => h('th', {}, t)))), body);
  show(h('div', {class: 'actions'}, h('h1', {style: 'flex:1;margin:0'}, 'Certificates'),
    h('a', {class: 'button', href: '#/buy'}, 'Buy a certificate')), message, table);

  async function refresh() {
    try {
      const list = await api('hosting', 'v1/certificates?size=100');
      message.replaceChildren();
      if (!list.length) {
        body.replaceChildren(h('tr', {}, h('td', {colspan: 6, class: 'muted'},
          'No certificates yet. Buy one to get started.')));
        return;
      }
      body.replaceChildren(...list.map(row));
    } catch (e) {
      message.replaceChildren(errorBox(e));
    }
  }
  await refresh();
  page.every(4000, refresh);
}

function row(c) {
  const tr = h('tr', {class: 'clickable', 'data-certificate-id': c.certificateId},
    h('td', {}, h('a', {href: '#/certificates/' + encodeURIComponent(c.certificateId)}, (c.domains || []).join(', '))),
    h('td', {}, badge(c.status), c.lastFailure ? h('div', {class: 'hint'}, c.lastFailure) : null),
    h('td', {class: 'mono'}, c.serialNumber || '—'),
    h('td', {}, when(c.notAfter)),
    h('td', {}, when(c.nextRenewalAt)),
    h('td', {}, c.lastDeployment ? badge(c.lastDeployment.succeeded ? 'SUCCEEDED' : 'FAILED') : '—'));
  tr.addEventListener('click', (e) => {
    if (e.target.tagName !== 'A') location.hash = '#/certificates/' + encodeURIComponent(c.certificateId);
  });
  return tr;
}
