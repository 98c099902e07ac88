// DNS providers (verification-service /api/v1/dns-credentials): the account's credentials with which certflow writes
// DNS-01 challenge records itself (the "DNS provider" verification method). The form is built from what
// verification-service declares for each provider (GET /api/v1/dns-providers).
import {api, seg} from '../api.js';
import {h, show, when, errorBox} from '../ui.js';
import {credentialForm, connectionFacts} from '../credentials.js';

export async function render() {
  const message = h('div');
  const list = h('div', {id: 'dns-credentials'});
  const adder = h('section', {class: 'card', id: 'add-dns-credential'});
  show(h('div', {class: 'actions'}, h('h1', {style: 'flex:1;margin:0'}, 'DNS providers'),
    h('a', {class: 'button secondary', href: '#/buy'}, 'Buy a certificate')),
  h('p', {class: 'muted'}, 'With a DNS provider credential certflow writes and removes the challenge records of your '
    + 'domains itself: no CNAME to add by hand. Choose "DNS provider" when you buy a certificate. Secrets are stored '
    + 'sealed and never shown again.'),
  message, list, adder);

  const providers = await api('verification', 'v1/dns-providers');
  const byName = new Map(providers.map((p) => [p.provider, p]));

  async function load() {
    const credentials = await api('verification', 'v1/dns-credentials');
    if (!credentials.length) {
      list.replaceChildren(h('p', {class: 'muted'}, 'No DNS provider credentials yet. Add one below.'));
      return;
    }
    list.replaceChildren(h('table', {id: 'dns-credential-list'},
      h('thead', {}, h('tr', {}, ['Name', 'Provider', 'Settings and secrets', 'Added', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, credentials.map((c) => {
        const remove = h('button', {type: 'button', class: 'secondary delete', 'data-id': c.id}, 'Delete');
        remove.addEventListener('click', async () => {
          if (!confirm('Delete the DNS credential "' + c.name + '"?')) return;
          message.replaceChildren();
          try {
            await api('verification', 'v1/dns-credentials/' + seg(c.id), {method: 'DELETE'});
          } catch (err) {
            message.replaceChildren(errorBox(err));
          }
          await load();
        });
        return h('tr', {'data-id': c.id, 'data-provider': c.provider},
          h('td', {}, h('strong', {}, c.name), h('div', {class: 'hint mono'}, c.id)),
          h('td', {}, (byName.get(c.provider) || {}).displayName || c.provider),
          h('td', {}, connectionFacts(c)),
          h('td', {class: 'hint'}, when(c.createdAt)),
          h('td', {}, remove));
      }))));
  }

  function showAdder(provider) {
    const select = h('select', {id: 'dns-provider'}, providers.map((p) =>
      h('option', {value: p.provider, selected: p.provider === provider}, p.displayName)));
    const slot = h('div');
    const pick = () => {
      const p = byName.get(select.value);
      slot.replaceChildren(credentialForm({fields: p.fields, idPrefix: 'dns', submitLabel: 'Add DNS provider',
        submit: ({name, settings, secrets}) => api('verification', 'v1/dns-credentials', {method: 'POST',
          body: {name, provider: p.provider, settings, secrets}}),
        done: async () => { await load(); showAdder(p.provider); }}));
    };
    select.addEventListener('change', pick);
    adder.replaceChildren(h('h2', {style: 'margin-top:0'}, 'Add a DNS provider'),
      h('form', {onsubmit: (e) => e.preventDefault()},
        h('div', {class: 'row'}, h('label', {for: 'dns-provider'}, 'Provider'), select)), slot);
    pick();
  }

  await load();
  showAdder(providers.length ? providers[0].provider : null);
}
