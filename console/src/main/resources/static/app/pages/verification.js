// The DNS instructions of a certificate's domains (verification-service): the CNAME each needs, with copy buttons,
// and a Verify button that shows the diagnosis as the service found it.
import {api, seg, ApiError} from '../api.js';
import {h, show, badge, when, errorBox, copyButton} from '../ui.js';

export async function render([certificateId], page) {
  const status = h('div');
  const list = h('div', {id: 'domains'});
  show(h('h1', {}, 'Verify your domains'),
    h('p', {class: 'muted'}, 'certflow proves to the CA that you control each domain. Add the record shown for each '
      + 'domain at your DNS provider once, then press Verify.'),
    status, list,
    h('div', {class: 'actions'},
      h('a', {class: 'button secondary', href: '#/certificates/' + seg(certificateId)}, 'Go to the certificate'),
      h('a', {class: 'button secondary', href: '#/certificates'}, 'All certificates')));

  const shown = new Map(); // domain -> its card, kept across refreshes so a diagnosis stays on screen
  let dnsCredentials = null; // the account's DNS provider credentials, read once for the provider domains

  async function refresh() {
    let v;
    try {
      v = await api('verification', 'v1/certificates/' + seg(certificateId) + '/verification');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        status.replaceChildren(h('div', {class: 'notice'}, 'The order was placed; waiting for the verification '
          + 'service to receive the request…'));
        return;
      }
      status.replaceChildren(errorBox(e));
      return;
    }
    status.replaceChildren(h('div', {class: 'notice', id: 'certificate-verification'},
      'Certificate verification: ', badge(v.state),
      v.state === 'VERIFIED' ? ' — all domains are verified; the certificate is being issued.' : ''));
    for (const d of v.domains || []) {
      if (!shown.has(d.domain)) {
        if (d.method === 'DNS_PROVIDER' && dnsCredentials === null) {
          dnsCredentials = await api('verification', 'v1/dns-credentials').catch(() => []);
        }
        const card = await domainCard(d, dnsCredentials || []);
        shown.set(d.domain, card);
        list.append(card.element);
      }
      shown.get(d.domain).update(d);
    }
  }
  await refresh();
  page.every(3000, refresh);
}

async function domainCard(d, dnsCredentials) {
  const state = h('span');
  const waiting = h('div', {class: 'hint'});
  const record = h('div');
  const diagnosis = h('div', {class: 'diagnosis-slot'});
  const verify = h('button', {type: 'button', class: 'verify', 'data-domain': d.domain}, 'Verify');
  const element = h('section', {class: 'card domain', 'data-domain': d.domain},
    h('h2', {style: 'margin-top:0'}, d.displayName || d.domain, ' ', state),
    waiting, record, h('div', {class: 'actions'}, verify), diagnosis);

  if (d.method === 'DNS_PROVIDER') {
    record.append(providerChoice(d, dnsCredentials));
  } else {
    try {
      const del = await api('verification', 'v1/domains/' + seg(d.domain) + '/delegation');
      record.append(h('p', {}, 'Add this record in the zone ', h('strong', {}, del.zone || 'of ' + d.domain), ':'),
        h('div', {class: 'record'},
          h('span', {class: 'muted'}, 'Host / name'), h('span', {class: 'mono', 'data-field': 'host'}, del.hostRecord || del.recordName),
          copyButton(del.hostRecord || del.recordName),
          h('span', {class: 'muted'}, 'Full name'), h('span', {class: 'mono', 'data-field': 'name'}, del.recordName), copyButton(del.recordName),
          h('span', {class: 'muted'}, 'Type'), h('span', {class: 'mono', 'data-field': 'type'}, del.recordType || 'CNAME'), h('span'),
          h('span', {class: 'muted'}, 'Value / target'), h('span', {class: 'mono', 'data-field': 'value'}, del.recordValue),
          copyButton(del.recordValue)));
    } catch (e) {
      record.append(errorBox(e));
    }
  }

  verify.addEventListener('click', async () => {
    verify.disabled = true;
    verify.textContent = 'Checking…';
    try {
      const r = await api('verification', 'v1/domains/' + seg(d.domain) + '/verify', {method: 'POST'});
      diagnosis.replaceChildren(h('div', {class: 'diagnosis', role: 'status'},
        h('div', {}, badge(r.result), ' ', h('span', {class: 'detail'}, r.detail || '')),
        r.expected ? h('div', {class: 'hint'}, 'Expected: ', h('span', {class: 'mono'}, r.expected)) : null,
        r.found && r.found.length ? h('div', {class: 'hint'}, 'Found: ', h('span', {class: 'mono'}, r.found.join(' → '))) : null,
        h('div', {class: 'hint'}, 'Checked ' + when(new Date().toISOString()))));
      if (r.verified) state.replaceChildren(badge('VERIFIED'));
    } catch (e) {
      diagnosis.replaceChildren(errorBox(e));
    } finally {
      verify.disabled = false;
      verify.textContent = 'Verify';
    }
  });

  return {
    element,
    update(now) {
      state.replaceChildren(badge(now.state));
      waiting.textContent = now.waitingFor || '';
    },
  };
}

/** Which DNS credential writes the domain's records, and a way to choose another (PUT …/domains/{d}/method). */
function providerChoice(d, dnsCredentials) {
  const current = dnsCredentials.find((c) => c.id === d.credentialId);
  const result = h('div');
  const select = h('select', {class: 'dns-credential', 'data-domain': d.domain, style: 'width:auto'},
    dnsCredentials.map((c) => h('option', {value: c.id, selected: c.id === d.credentialId}, c.name + ' (' + c.provider + ')')));
  const use = h('button', {type: 'button', class: 'secondary'}, 'Use this credential');
  use.addEventListener('click', async () => {
    use.disabled = true;
    try {
      await api('verification', 'v1/domains/' + seg(d.domain) + '/method', {method: 'PUT',
        body: {method: 'DNS_PROVIDER', credentialId: select.value}});
      result.replaceChildren(h('div', {class: 'hint'}, 'Chosen. Press Verify to check it now.'));
    } catch (e) {
      result.replaceChildren(errorBox(e));
    } finally {
      use.disabled = false;
    }
  });
  return h('div', {class: 'provider-choice'},
    h('p', {}, 'certflow writes the challenge records through your DNS credential',
      current ? h('span', {}, ' ', h('strong', {'data-field': 'credential'}, current.name)) : '',
      '; nothing to add by hand.'),
    dnsCredentials.length ? h('div', {class: 'actions'}, select, use) : null,
    h('div', {class: 'hint'}, h('a', {href: '#/dns-providers'}, 'Add a DNS provider')), result);
}
