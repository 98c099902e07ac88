// Connections (deployment-service /api/v1/target-credentials): the account's credentials for cloud services and
// servers — add one with the form its cloud service declares (credentialFields), delete one, and Discover, which
// lists what the connection reaches into the resource inventory.
import {api, seg} from '../api.js';
import {h, show, when, errorBox} from '../ui.js';
import {credentialForm, createConnection, discover, discoveryCard, connectionFacts} from '../credentials.js';

export async function render() {
  const message = h('div');
  const list = h('div', {id: 'connections'});
  const adder = h('section', {class: 'card', id: 'add-connection'});
  show(h('div', {class: 'actions'}, h('h1', {style: 'flex:1;margin:0'}, 'Connections'),
    h('a', {class: 'button secondary', href: '#/certificates'}, 'Certificates')),
  h('p', {class: 'muted'}, 'The accounts and servers certflow deploys to. Secrets are stored sealed and never shown '
    + 'again; Discover lists the resources a connection reaches, ready for the deployment wizard.'),
  message, list, adder);

  const services = (await api('deployment', 'v1/cloud-services'))
    .filter((s) => (s.needsCredential || s.discovers) && (s.credentialFields || []).length);
  const byType = new Map(services.map((s) => [s.type, s]));
  const discoveries = new Map(); // credentialId -> its last discovery, kept across reloads of the list

  async function load() {
    const credentials = await api('deployment', 'v1/target-credentials');
    if (!credentials.length) {
      list.replaceChildren(h('p', {class: 'muted'}, 'No connections yet. Add one below.'));
      return;
    }
    list.replaceChildren(h('table', {id: 'connection-list'},
      h('thead', {}, h('tr', {}, ['Name', 'Cloud service', 'Settings and secrets', 'Added', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, credentials.map(row))));
  }

  function row(c) {
    const service = byType.get(c.type);
    const found = h('div', {class: 'discovery-slot'});
    if (discoveries.has(c.credentialId)) found.append(discoveryCard(discoveries.get(c.credentialId)));
    const discoverButton = service && service.discovers
      ? h('button', {type: 'button', class: 'secondary discover', 'data-credential-id': c.credentialId}, 'Discover') : null;
    const remove = h('button', {type: 'button', class: 'secondary delete', 'data-credential-id': c.credentialId}, 'Delete');
    discoverButton && discoverButton.addEventListener('click', async () => {
      discoverButton.disabled = true;
      discoverButton.textContent = 'Discovering…';
      message.replaceChildren();
      try {
        discoveries.set(c.credentialId, await discover(c.credentialId));
      } catch (err) {
        message.replaceChildren(errorBox(err));
      }
      await load();
    });
    remove.addEventListener('click', async () => {
      if (!confirm('Delete the connection "' + c.name + '"?')) return;
      message.replaceChildren();
      try {
        await api('deployment', 'v1/target-credentials/' + seg(c.credentialId), {method: 'DELETE'});
        discoveries.delete(c.credentialId);
      } catch (err) {
        message.replaceChildren(errorBox(err));
      }
      await load();
    });
    return h('tr', {'data-credential-id': c.credentialId, 'data-type': c.type},
      h('td', {}, h('strong', {}, c.name), h('div', {class: 'hint mono'}, c.credentialId)),
      h('td', {}, service ? service.displayName : c.type),
      h('td', {}, connectionFacts(c, {discovery: service && service.discovers}), found),
      h('td', {class: 'hint'}, when(c.createdAt)),
      h('td', {}, h('div', {class: 'actions', style: 'margin:0'}, discoverButton, remove)));
  }

  function showAdder(type) {
    const select = h('select', {id: 'connection-type'}, services.map((s) =>
      h('option', {value: s.type, selected: s.type === type}, s.displayName)));
    const slot = h('div');
    const pick = () => {
      const s = byType.get(select.value);
      slot.replaceChildren(credentialForm({fields: s.credentialFields, idPrefix: 'connection',
        submitLabel: 'Add connection',
        submit: (given) => createConnection(s.type, given),
        done: async () => { await load(); showAdder(s.type); }}));
    };
    select.addEventListener('change', pick);
    adder.replaceChildren(h('h2', {style: 'margin-top:0'}, 'Add a connection'),
      h('form', {onsubmit: (e) => e.preventDefault()},
        h('div', {class: 'row'}, h('label', {for: 'connection-type'}, 'Cloud service'), select)), slot);
    pick();
  }

  await load();
  showAdder(services.length ? services[0].type : null);
}
