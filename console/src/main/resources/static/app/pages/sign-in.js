// Sign in with an API key: checked by reading the certificate list once, then kept in this tab's sessionStorage.
import {api, session, ApiError} from '../api.js';
import {h, show, errorBox} from '../ui.js';

export function render() {
  const key = h('input', {type: 'password', id: 'api-key', name: 'apiKey', autocomplete: 'off', required: true,
    placeholder: 'your API key'});
  const message = h('div');
  const form = h('form', {class: 'card signin', id: 'sign-in'},
    h('h1', {}, 'Sign in to certflow'),
    h('p', {class: 'muted'}, 'Use the API key of your account. It stays in this browser tab and is sent only to this console.'),
    h('div', {class: 'row'}, h('label', {for: 'api-key'}, 'API key'), key),
    message,
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Sign in')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const candidate = key.value.trim();
    try {
      await api('hosting', 'v1/certificates?size=1', {key: candidate});
      session.signIn(candidate);
      if (location.hash === '#/certificates') window.dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = '#/certificates';
    } catch (err) {
      message.replaceChildren(errorBox(err instanceof ApiError && err.status === 401
        ? new Error('This API key was not accepted.') : err));
    }
  });
  show(form);
  key.focus();
}
