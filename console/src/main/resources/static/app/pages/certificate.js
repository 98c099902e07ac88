// One certificate (hosting-service): its status, the live version, the renewal plan and its history — versions,
// renewal attempts, deployments — refreshed every few seconds, with "Renew now".
import {api, seg} from '../api.js';
import {h, show, badge, when, errorBox} from '../ui.js';
import {jobCard} from './deploy.js';

export async function render([certificateId], page) {
  const message = h('div');
  const content = h('div', {id: 'certificate'});
  const renew = h('button', {type: 'button', id: 'renew'}, 'Renew now');
  const jobs = h('div', {id: 'jobs'});
  renew.addEventListener('click', async () => {
    renew.disabled = true;
    try {
      await api('hosting', 'v1/certificates/' + seg(certificateId) + '/renew', {method: 'POST'});
      message.replaceChildren(h('div', {class: 'notice', role: 'status'}, 'Renewal started. The new version shows here when it is issued.'));
      await refresh();
    } catch (e) {
      message.replaceChildren(errorBox(e));
    } finally {
      renew.disabled = false;
    }
  });
  show(h('div', {class: 'actions'}, h('h1', {style: 'flex:1;margin:0'}, 'Certificate'),
    h('a', {class: 'button secondary', href: '#/certificates/' + seg(certificateId) + '/verification'}, 'DNS instructions'),
    h('a', {class: 'button secondary', href: '#/certificates/' + seg(certificateId) + '/timeline'}, 'Timeline'),
    h('a', {class: 'button secondary', id: 'deploy', href: '#/certificates/' + seg(certificateId) + '/deploy'}, 'Deploy'),
    renew), message, content, h('h2', {}, 'Deployment jobs'), jobs);

  async function refresh() {
    try {
      const c = await api('hosting', 'v1/certificates/' + seg(certificateId));
      content.replaceChildren(...view(c));
    } catch (e) {
      content.replaceChildren(errorBox(e));
      return;
    }
    try {
      const list = await api('deployment', 'v1/deployment-jobs?certificateId=' + seg(certificateId));
      jobs.replaceChildren(...(list.length ? list.slice(0, 5).map(jobCard) : [h('p', {class: 'muted'}, 'No deployment job yet.')]));
    } catch (e) {
      jobs.replaceChildren(errorBox(e));
    }
  }
  await refresh();
  page.every(4000, refresh);
}

function view(c) {
  const facts = h('dl', {class: 'facts'},
    h('dt', {}, 'Domains'), h('dd', {id: 'domains'}, (c.domains || []).join(', ')),
    h('dt', {}, 'Status'), h('dd', {id: 'status'}, badge(c.status)),
    h('dt', {}, 'Serial number'), h('dd', {class: 'mono', id: 'serial'}, c.serialNumber || '—'),
    h('dt', {}, 'Valid'), h('dd', {}, c.notBefore ? when(c.notBefore) + ' – ' + when(c.notAfter) : '—',
      c.expiry ? [' ', badge(c.expiry)] : null),
    h('dt', {}, 'Next renewal'), h('dd', {}, when(c.nextRenewalAt)),
    h('dt', {}, 'Term ends'), h('dd', {}, when(c.termEndsAt)),
    h('dt', {}, 'Hosting'), h('dd', {}, c.hosting ? 'renewed by certflow' : 'not hosted'),
    c.lastFailure ? [h('dt', {}, 'Last failure'), h('dd', {class: 'error-text'}, c.lastFailure)] : null,
    h('dt', {}, 'Certificate id'), h('dd', {class: 'mono'}, c.certificateId));
  const out = [h('section', {class: 'card'}, facts)];
  if (c.renewalPlan && c.renewalPlan.length) {
    out.push(h('h2', {}, 'Renewal plan'), h('ol', {class: 'card', id: 'renewal-plan'}, c.renewalPlan.map((l) => h('li', {}, l))));
  }
  out.push(h('h2', {}, 'Versions'), table('versions', ['Serial', 'Valid from', 'Valid until', 'Issued', 'SHA-256 fingerprint'],
    (c.versions || []).slice().reverse().map((v) => [mono(v.serialNumber), when(v.notBefore), when(v.notAfter), when(v.issuedAt),
      mono(v.fingerprintSha256)]), 'No version issued yet.'));
  out.push(h('h2', {}, 'Renewal attempts'), table('attempts', ['Started', 'Trigger', 'Outcome', 'From', 'New serial', 'Failure'],
    (c.attempts || []).slice().reverse().map((a) => [when(a.startedAt), a.trigger, badge(a.outcome), mono(a.fromSerial),
      mono(a.newSerial), a.failure || a.reason || '']), 'No renewal yet.'));
  out.push(h('h2', {}, 'Deployments'), table('deployments', ['When', 'Trigger', 'Serial', 'Result', 'Job'],
    (c.deployments || []).slice().reverse().map((d) => [when(d.at), d.trigger, mono(d.serialNumber),
      badge(d.succeeded ? 'SUCCEEDED' : 'FAILED'), mono(d.jobId)]), 'Not deployed yet.'));
  return out;
}

function mono(text) {
  return h('span', {class: 'mono'}, text || '—');
}

function table(id, headings, rows, empty) {
  return h('table', {id},
    h('thead', {}, h('tr', {}, headings.map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, r.map((cell) => h('td', {}, cell))))
      : h('tr', {}, h('td', {colspan: headings.length, class: 'muted'}, empty))));
}
