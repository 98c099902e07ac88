// Credential forms built from what a service declares (deployment's cloud services' credentialFields,
// verification's DNS providers' fields): one input per field, secrets as password inputs. A secret's value leaves
// the page once, in the POST body: the form is emptied and its inputs removed after a submit, and the API only ever
// answers with the names of the secrets.
import {api, seg} from './api.js';
import {h, badge, when, errorBox} from './ui.js';

/**
 * A form for one credential.
 *
 * @param fields   [{name, label, secret, required, multiline}]
 * @param idPrefix a prefix for the inputs' ids (several forms may be on one page)
 * @param submit   async ({name, settings, secrets}) => created; its error is shown in the form
 * @param done     (created) => void, after a successful submit
 */
export function credentialForm({fields, idPrefix, title, submitLabel = 'Save', submit, done}) {
  const name = h('input', {id: idPrefix + '-name', name: 'name', placeholder: 'e.g. production', autocomplete: 'off'});
  const inputs = fields.map((f) => {
    const id = idPrefix + '-' + f.name;
    const input = f.multiline && !f.secret
      ? h('textarea', {id, rows: 4, class: 'mono', 'data-field': f.name, required: f.required, spellcheck: 'false'})
      : f.multiline
        ? h('textarea', {id, rows: 4, class: 'mono secret', 'data-field': f.name, 'data-secret': true,
          required: f.required, autocomplete: 'off', spellcheck: 'false'})
        : h('input', {id, 'data-field': f.name, type: f.secret ? 'password' : 'text', required: f.required,
          autocomplete: f.secret ? 'new-password' : 'off', 'data-secret': f.secret || undefined});
    return {field: f, input};
  });
  const result = h('div');
  const button = h('button', {type: 'submit'}, submitLabel);
  const form = h('form', {class: 'credential-form', id: idPrefix + '-form'},
    title ? h('h2', {}, title) : null,
    h('div', {class: 'row'}, h('label', {for: idPrefix + '-name'}, 'Name'), name),
    inputs.map(({field, input}) => h('div', {class: 'row'},
      h('label', {for: input.id}, field.name + (field.required ? '' : ' (optional)')),
      h('div', {}, input, h('div', {class: 'hint'}, field.label + (field.secret ? ' — secret: stored sealed, never shown again' : ''))))),
    result, h('div', {class: 'actions'}, button));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const settings = {};
    const secrets = {};
    for (const {field, input} of inputs) {
      if (input.value.trim()) (field.secret ? secrets : settings)[field.name] = input.value;
    }
    inputs.filter(({field}) => field.secret).forEach(({input}) => { input.value = ''; });
    button.disabled = true;
    result.replaceChildren();
    try {
      const created = await submit({name: name.value.trim() || undefined, settings, secrets});
      form.reset();
      form.replaceChildren(); // nothing typed stays in the page
      form.remove();
      done && done(created);
    } catch (err) {
      result.replaceChildren(errorBox(err));
      button.disabled = false;
    }
  });
  return form;
}

/** Creates a deployment target credential ("connection"). */
export function createConnection(type, {name, settings, secrets}) {
  return api('deployment', 'v1/target-credentials', {method: 'POST', body: {type, name, settings, secrets}});
}

/** Lists what a connection reaches into the inventory; resolves to the discovery. */
export function discover(credentialId) {
  return api('deployment', 'v1/target-credentials/' + seg(credentialId) + '/discover', {method: 'POST'});
}

/** What a discovery found: the counts and the resources, by name, with the names each serves. */
export function discoveryCard(d) {
  return h('div', {class: 'notice discovery', role: 'status', 'data-credential-id': d.credentialId},
    h('div', {class: 'counts'},
      ['found', 'added', 'updated', 'missing'].map((k) => h('span', {class: 'count', 'data-count': k},
        h('strong', {}, String(d[k] ?? 0)), ' ' + k))),
    (d.resources || []).length
      ? h('table', {class: 'discovered'}, h('thead', {}, h('tr', {}, ['Resource', 'Serves', '']
        .map((t) => h('th', {}, t)))), h('tbody', {}, d.resources.map((r) => h('tr', {'data-resource-id': r.resourceId},
        h('td', {}, r.name), h('td', {class: 'mono'}, servedNames(r).join(', ') || '—'),
        h('td', {class: 'hint'}, r.missingSince ? 'missing since ' + when(r.missingSince) : '')))))
      : h('p', {class: 'muted'}, 'Nothing was found.'));
}

/** The names a resource serves: registered with it, or the server name of its settings. */
export function servedNames(r) {
  if (r.domains && r.domains.length) return r.domains;
  return r.config && r.config.serverName ? [r.config.serverName] : [];
}

/** One connection as a row of facts: settings, the names of its secrets, its last discovery. */
export function connectionFacts(c, {discovery = false} = {}) {
  const settings = Object.entries(c.settings || {});
  return h('div', {class: 'facts-inline'},
    settings.length ? h('div', {}, settings.map(([k, v]) => h('div', {class: 'setting'},
      h('span', {class: 'muted'}, k + ': '), h('span', {class: 'mono'}, v)))) : null,
    (c.secrets || c.secretNames || []).length
      ? h('div', {class: 'hint'}, 'Secrets (sealed): ', (c.secrets || c.secretNames).join(', ')) : null,
    discovery ? h('div', {class: 'hint last-discovery'},
      c.lastDiscoveryAt ? 'Last discovery ' + when(c.lastDiscoveryAt) : 'Never discovered',
      c.lastDiscoveryError ? h('span', {}, ' — ', badge('FAILED'), ' ', c.lastDiscoveryError)
        : c.lastDiscoveryAt ? h('span', {}, ' ', badge('SUCCEEDED')) : null) : null);
}
