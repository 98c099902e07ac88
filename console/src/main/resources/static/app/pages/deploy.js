// The deployment wizard (deployment-service): cloud services with resource counts on the left, the matching
// resources in the middle (with what the certificate covers), a task preview read live from each resource, submit,
// and the job's result per resource. A cloud service reached through a connection (a credential) offers
// "Connect an account" (a form from its credentialFields) and, where it lists its resources, "Discover resources".
import {api, seg} from '../api.js';
import {h, show, badge, when, errorBox} from '../ui.js';
import {credentialForm, createConnection, discover, discoveryCard, connectionFacts, servedNames} from '../credentials.js';

export async function render([certificateId], page) {
  const services = h('ul', {class: 'services', id: 'cloud-services'});
  const resources = h('div', {id: 'resources'});
  const preview = h('div', {id: 'preview'});
  const job = h('div', {id: 'job'});
  const message = h('div');
  let selectedType = null;
  let pollingJob = null;
  let serviceList = [];
  let lastDiscovery = null; // shown above the resources until another service is chosen

  show(h('div', {class: 'actions'}, h('h1', {style: 'flex:1;margin:0'}, 'Deploy the certificate'),
    h('a', {class: 'button secondary', href: '#/certificates/' + seg(certificateId)}, 'Back to the certificate')),
  message,
  h('div', {class: 'wizard'},
    h('nav', {class: 'card'}, h('h2', {style: 'margin-top:0'}, 'Cloud services'), services),
    h('div', {}, resources, preview, job)));

  async function loadServices() {
    const list = await api('deployment', 'v1/cloud-services?certificateId=' + seg(certificateId));
    serviceList = list;
    services.replaceChildren(...list.map((s) => {
      const item = h('li', {class: 'service' + (s.type === selectedType ? ' selected' : ''), 'data-type': s.type},
        h('span', {}, h('button', {type: 'button', class: 'link'}, s.displayName || s.type),
          s.needsCredential ? h('div', {class: 'hint'}, 'through a connection')
            : s.discovers ? h('div', {class: 'hint'}, 'by hand or discovered') : null),
        h('span', {class: 'count', title: 'resources / covered by this certificate'},
          s.resources + (s.covered === null || s.covered === undefined ? '' : ' · ' + s.covered + ' covered')));
      item.querySelector('button').addEventListener('click', () => selectType(s.type));
      return item;
    }));
  }

  async function selectType(type) {
    if (type !== selectedType) lastDiscovery = null;
    selectedType = type;
    preview.replaceChildren();
    await loadServices();
    const service = serviceList.find((s) => s.type === type) || {type};
    const takesConnection = (service.needsCredential || service.discovers) && (service.credentialFields || []).length;
    const connections = takesConnection
      ? (await api('deployment', 'v1/target-credentials')).filter((c) => c.type === type) : [];
    const list = await api('deployment', 'v1/resources?type=' + seg(type) + '&certificateId=' + seg(certificateId));
    const boxes = [];
    const rows = list.map((r) => {
      const covered = r.coverage ? r.coverage.covered : true;
      const box = h('input', {type: 'checkbox', value: r.resourceId, checked: covered, disabled: !covered,
        'data-name': r.name});
      boxes.push(box);
      return h('tr', {'data-resource-id': r.resourceId}, h('td', {}, box), h('td', {}, r.name),
        h('td', {class: 'mono'}, servedNames(r).join(', ') || '—'),
        h('td', {}, covered ? badge('COVERED') : h('span', {class: 'hint'}, 'does not serve ' +
          ((r.coverage && r.coverage.uncovered) || []).join(', '))),
        h('td', {class: 'hint'}, r.missingSince ? 'missing since ' + when(r.missingSince) : ''));
    });
    const previewButton = h('button', {type: 'button', id: 'preview-task'}, 'Preview');
    previewButton.addEventListener('click', () => makeTask(boxes.filter((b) => b.checked).map((b) => b.value)));
    resources.replaceChildren(takesConnection ? connectionsCard(service, connections) : '',
      h('section', {class: 'card', id: 'resource-card'},
      h('h2', {style: 'margin-top:0'}, 'Resources'),
      lastDiscovery ? discoveryCard(lastDiscovery) : null,
      rows.length ? h('table', {id: 'resource-list'}, h('thead', {}, h('tr', {}, ['', 'Name', 'Serves', 'Certificate', '']
        .map((t) => h('th', {}, t)))), h('tbody', {}, rows)) : h('p', {class: 'muted'}, 'No resource of this type yet.'),
      h('div', {class: 'actions'}, rows.length ? previewButton : null),
      service.needsCredential && !connections.length ? null : addResourceForm(type, service, connections)));
  }

  /** The service's connections, with Discover for each, and "Connect an account" with the service's form. */
  function connectionsCard(service, connections) {
    const slot = h('div', {id: 'connect-slot'});
    const connect = h('button', {type: 'button', id: 'connect-account', class: connections.length ? 'secondary' : ''},
      'Connect an account');
    connect.addEventListener('click', () => {
      connect.hidden = true;
      slot.replaceChildren(credentialForm({fields: service.credentialFields, idPrefix: 'connect',
        title: 'Connect ' + (service.displayName || service.type), submitLabel: 'Connect',
        submit: (given) => createConnection(service.type, given),
        done: () => selectType(service.type)}));
    });
    const items = connections.map((c) => {
      const discoverButton = service.discovers ? h('button', {type: 'button', class: 'discover-resources',
        'data-credential-id': c.credentialId}, 'Discover resources') : null;
      const result = h('div');
      discoverButton && discoverButton.addEventListener('click', async () => {
        discoverButton.disabled = true;
        discoverButton.textContent = 'Discovering…';
        try {
          lastDiscovery = await discover(c.credentialId);
          await selectType(service.type);
        } catch (err) {
          result.replaceChildren(errorBox(err));
          discoverButton.disabled = false;
          discoverButton.textContent = 'Discover resources';
        }
      });
      return h('li', {class: 'connection', 'data-credential-id': c.credentialId},
        h('div', {style: 'flex:1'}, h('strong', {}, c.name), connectionFacts(c, {discovery: service.discovers}), result), discoverButton);
    });
    return h('section', {class: 'card', id: 'service-connections'},
      h('h2', {style: 'margin-top:0'}, 'Connections'),
      items.length ? h('ul', {class: 'connections'}, items)
        : h('p', {class: 'muted'}, service.needsCredential
          ? 'Connect an account of ' + (service.displayName || service.type) + ' to deploy to its resources.'
          : 'Connect it once to list its resources, or add one by hand below.'),
      h('div', {class: 'actions'}, connect, h('a', {href: '#/connections'}, 'Manage connections')),
      slot);
  }

  function addResourceForm(type, service, connections) {
    const name = h('input', {id: 'resource-name', placeholder: 'e.g. web-1', required: true});
    const config = h('textarea', {id: 'resource-config', rows: 6, class: 'mono',
      placeholder: '{"certificatePath": "…", "keyPath": "…", "reloadCommand": "…", "tlsAddress": "…", "serverName": "…"}'});
    const result = h('div');
    const credential = service.needsCredential ? h('select', {id: 'resource-credential'},
      connections.map((c) => h('option', {value: c.credentialId}, c.name))) : null;
    const form = h('form', {id: 'add-resource'},
      h('h2', {}, 'Add a ' + type + ' resource by hand'),
      h('div', {class: 'row'}, h('label', {for: 'resource-name'}, 'Name'), name),
      credential ? h('div', {class: 'row'}, h('label', {for: 'resource-credential'}, 'Connection'), credential) : null,
      h('div', {class: 'row'}, h('label', {for: 'resource-config'}, 'Settings (JSON)'),
        h('div', {}, config, h('div', {class: 'hint'}, 'The settings of this cloud service, as docs/targets describes them.'))),
      result, h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'secondary'}, 'Add resource')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      let settings;
      try {
        settings = JSON.parse(config.value || '{}');
      } catch {
        result.replaceChildren(errorBox(new Error('The settings are not valid JSON.')));
        return;
      }
      try {
        await api('deployment', 'v1/resources', {method: 'POST', body: {type, name: name.value.trim(), config: settings,
          credentialId: credential ? credential.value : undefined}});
        await selectType(type);
      } catch (err) {
        result.replaceChildren(errorBox(err));
      }
    });
    return form;
  }

  async function makeTask(resourceIds) {
    message.replaceChildren();
    if (!resourceIds.length) {
      message.replaceChildren(errorBox(new Error('Choose at least one resource.')));
      return;
    }
    try {
      const task = await api('deployment', 'v1/deployment-tasks', {method: 'POST',
        body: {certificateId, resourceIds, onFailure: 'CONTINUE'}});
      const p = await api('deployment', 'v1/deployment-tasks/' + seg(task.taskId) + '/preview');
      const submit = h('button', {type: 'button', id: 'submit-task'}, 'Submit');
      submit.addEventListener('click', async () => {
        submit.disabled = true;
        try {
          const submitted = await api('deployment', 'v1/deployment-tasks/' + seg(task.taskId) + '/submit', {method: 'POST'});
          pollingJob = submitted.jobId;
          await showJob();
        } catch (err) {
          message.replaceChildren(errorBox(err));
          submit.disabled = false;
        }
      });
      preview.replaceChildren(h('section', {class: 'card'},
        h('h2', {style: 'margin-top:0'}, 'Preview'),
        h('p', {}, 'Deploys serial ', h('span', {class: 'mono'}, p.newSerialNumber || '—'), ' for ', (p.domains || []).join(', ')),
        h('table', {id: 'preview-list'}, h('thead', {}, h('tr', {}, ['Resource', 'Serves', 'Now', 'After', 'Change']
          .map((t) => h('th', {}, t)))), h('tbody', {}, (p.resources || []).map((r) => h('tr', {},
          h('td', {}, r.name), h('td', {class: 'mono'}, (r.hostNames || []).join(', ')),
          h('td', {class: 'mono'}, r.currentSerialNumber || r.readBackError || '—'),
          h('td', {class: 'mono'}, r.newSerialNumber || '—'),
          h('td', {}, badge(r.change), r.refusal ? h('div', {class: 'hint'}, r.refusal) : null))))),
        h('div', {class: 'actions'}, submit)));
    } catch (err) {
      message.replaceChildren(errorBox(err));
    }
  }

  async function showJob() {
    if (!pollingJob) return;
    const j = await api('deployment', 'v1/deployment-jobs/' + seg(pollingJob));
    job.replaceChildren(jobCard(j));
  }

  await loadServices();
  page.every(3000, () => showJob().catch((e) => message.replaceChildren(errorBox(e))));
}

/** One deployment job with its result per resource; also used on the certificate page. */
export function jobCard(j) {
  return h('section', {class: 'card job', 'data-job-id': j.jobId},
    h('h2', {style: 'margin-top:0'}, 'Job ', h('span', {class: 'mono'}, j.jobId), ' ', badge(j.status)),
    h('p', {class: 'hint'}, (j.trigger || '') + ' · serial ', h('span', {class: 'mono'}, j.serialNumber || '—'),
      ' · created ' + when(j.createdAt) + (j.finishedAt ? ' · finished ' + when(j.finishedAt) : ''),
      j.notBeforeReason ? ' · ' + j.notBeforeReason : ''),
    h('table', {class: 'job-results'}, h('thead', {}, h('tr', {}, ['Resource', 'Status', 'Outcome', 'Serves now', 'Message']
      .map((t) => h('th', {}, t)))), h('tbody', {}, (j.results || []).length ? j.results.map((r) => h('tr', {},
      h('td', {}, r.name || r.resourceId), h('td', {}, badge(r.status)), h('td', {}, badge(r.outcome)),
      h('td', {class: 'mono'}, r.servedSerialNumber || '—'), h('td', {}, r.message || '')))
      : h('tr', {}, h('td', {colspan: 5, class: 'muted'}, 'Waiting to start…')))));
}
