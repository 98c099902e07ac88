// Buy and apply (order-service POST /api/v1/orders): product, domains, term, hosting, how the domains are verified.
// With the DNS provider method the user picks one of their DNS credentials (verification-service), which becomes
// each domain's method (PUT /api/v1/domains/{domain}/method) before the order is placed; the order itself only says
// DNS_PROVIDER, and verification-service tries the domain's own credential first.
import {api, seg} from '../api.js';
import {h, show, errorBox} from '../ui.js';

const METHODS = [
  ['CNAME_DELEGATION', 'CNAME delegation — add one CNAME per domain, once'],
  ['DNS_PROVIDER', 'DNS provider — certflow writes the records through your DNS credential'],
];
const KEY_TYPES = ['', 'EC_P256', 'EC_P384', 'RSA_2048', 'RSA_3072', 'RSA_4096'];

export async function render() {
  const products = await api('order', 'v1/products');
  const product = h('select', {id: 'product', name: 'product'},
    products.map((p) => h('option', {value: p.code}, p.code + ' — up to ' + p.maxDomains + ' name' + (p.maxDomains > 1 ? 's' : '')
      + (p.wildcard ? ', wildcards' : '') + (p.paid ? '' : ', free (no hosting)'))));
  const domains = h('textarea', {id: 'domains', name: 'domains', rows: 3, placeholder: 'www.example.com', required: true});
  const term = h('select', {id: 'term', name: 'termYears'});
  const hosting = h('input', {type: 'checkbox', id: 'hosting', name: 'hosting', checked: true});
  const method = h('select', {id: 'method', name: 'verificationMethod'},
    METHODS.map(([v, label]) => h('option', {value: v}, label)));
  const keyType = h('select', {id: 'key-type', name: 'keyType'},
    KEY_TYPES.map((k) => h('option', {value: k}, k || 'the CA profile\'s default')));
  const hint = h('div', {class: 'hint'});
  const dnsCredentials = await api('verification', 'v1/dns-credentials');
  const credential = h('select', {id: 'dns-credential', name: 'credentialId'},
    dnsCredentials.map((c) => h('option', {value: c.id}, c.name + ' (' + c.provider + ')')));
  const credentialRow = h('div', {class: 'row', id: 'dns-credential-row', hidden: true},
    h('label', {for: 'dns-credential'}, 'DNS credential'),
    h('div', {}, dnsCredentials.length ? credential : h('p', {class: 'muted', style: 'margin:.4rem 0'},
      'You have no DNS provider credential yet.'),
    h('div', {class: 'hint'}, 'certflow writes the challenge records of every domain through it. ',
      h('a', {href: '#/dns-providers'}, 'Add a DNS provider'))));
  const message = h('div');
  const submit = h('button', {type: 'submit', id: 'buy'}, 'Buy and apply');

  function productChanged() {
    const p = products.find((x) => x.code === product.value) || {};
    term.replaceChildren(...range(p.minTermYears || 1, p.maxTermYears || 3).map((y) =>
      h('option', {value: y}, y + (y === 1 ? ' year' : ' years'))));
    hosting.disabled = !p.paid;
    hosting.checked = !!p.paid;
    hint.textContent = 'One name per line' + (p.maxDomains ? ', at most ' + p.maxDomains : '')
      + (p.wildcard ? '; a wildcard as *.example.com' : '') + '.';
  }
  product.addEventListener('change', productChanged);
  productChanged();
  method.addEventListener('change', () => { credentialRow.hidden = method.value !== 'DNS_PROVIDER'; });

  const form = h('form', {class: 'card', id: 'buy-form'},
    h('div', {class: 'row'}, h('label', {for: 'product'}, 'Product'), product),
    h('div', {class: 'row'}, h('label', {for: 'domains'}, 'Domains'), h('div', {}, domains, hint)),
    h('div', {class: 'row'}, h('label', {for: 'term'}, 'Term'), term),
    h('div', {class: 'row'}, h('label', {for: 'hosting'}, 'Hosting'),
      h('div', {}, hosting, ' renew it for the whole term', h('div', {class: 'hint'}, 'Only paid products can be hosted.'))),
    h('div', {class: 'row'}, h('label', {for: 'method'}, 'Verification'), method),
    credentialRow,
    h('div', {class: 'row'}, h('label', {for: 'key-type'}, 'Key type'), keyType),
    message,
    h('div', {class: 'actions'}, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    message.replaceChildren();
    const order = {
      product: product.value,
      domains: domains.value.split(/[\s,]+/).map((d) => d.trim()).filter(Boolean),
      termYears: Number(term.value),
      hosting: hosting.checked,
      verificationMethod: method.value,
    };
    if (keyType.value) order.keyType = keyType.value;
    try {
      if (method.value === 'DNS_PROVIDER') {
        if (!dnsCredentials.length) throw new Error('Add a DNS provider credential first, or choose CNAME delegation.');
        for (const d of new Set(order.domains.map((x) => x.replace(/^\*\./, '')))) {
          await api('verification', 'v1/domains/' + seg(d) + '/method', {method: 'PUT',
            body: {method: 'DNS_PROVIDER', credentialId: credential.value}});
        }
      }
      const created = await api('order', 'v1/orders', {method: 'POST', body: order});
      location.hash = '#/certificates/' + encodeURIComponent(created.certificateId) + '/verification';
    } catch (err) {
      message.replaceChildren(errorBox(err));
      submit.disabled = false;
    }
  });
  show(h('h1', {}, 'Buy a certificate'), form);
}

function range(from, to) {
  const out = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
