// The console's router: #/<page>/<params>. Each page module exports render(params, page), where page.every()
// runs a refresh that stops when the user leaves the page.
import {session} from './api.js';
import {show, errorBox} from './ui.js';
import * as signIn from './pages/sign-in.js';
import * as certificates from './pages/certificates.js';
import * as buy from './pages/buy.js';
import * as verification from './pages/verification.js';
import * as certificate from './pages/certificate.js';
import * as deploy from './pages/deploy.js';
import * as timeline from './pages/timeline.js';
import * as connections from './pages/connections.js';
import * as dnsProviders from './pages/dns-providers.js';

const ROUTES = [
  [/^#\/certificates\/([^/]+)\/verification$/, verification, 'certificates'],
  [/^#\/certificates\/([^/]+)\/deploy$/, deploy, 'certificates'],
  [/^#\/certificates\/([^/]+)\/timeline$/, timeline, 'certificates'],
  [/^#\/certificates\/([^/]+)$/, certificate, 'certificates'],
  [/^#\/certificates$/, certificates, 'certificates'],
  [/^#\/buy$/, buy, 'buy'],
  [/^#\/connections$/, connections, 'connections'],
  [/^#\/dns-providers$/, dnsProviders, 'dns-providers'],
];

let timers = [];
let generation = 0; // a page still loading when the user moved on must not start its refresh

function leavePage() {
  generation++;
  timers.forEach(clearInterval);
  timers = [];
}

async function route() {
  leavePage();
  const nav = document.getElementById('nav');
  if (!session.key()) {
    nav.hidden = true;
    signIn.render([], {every() {}});
    return;
  }
  nav.hidden = false;
  const hash = location.hash || '#/certificates';
  const match = ROUTES.map(([re, page, navName]) => [hash.match(re), page, navName]).find(([m]) => m);
  if (!match) {
    location.hash = '#/certificates';
    return;
  }
  const [m, page, navName] = match;
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === navName));
  const mine = generation;
  const context = {
    every(ms, fn) { if (mine === generation) timers.push(setInterval(fn, ms)); },
  };
  try {
    await page.render(m.slice(1).map(decodeURIComponent), context);
  } catch (e) {
    show(errorBox(e));
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  location.hash = '#/certificates';
  route();
});
window.addEventListener('certflow:unauthorized', () => {
  session.signOut();
  route();
});
window.addEventListener('hashchange', route);
route();
