// The console's one way to the services: /svc/<service>/<path> on the console itself, with the key the user
// signed in with. The key lives in this tab's sessionStorage only: never in a URL, a cookie or localStorage.

const KEY = 'certflow.apiKey';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: (key) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

/** A failed call: the HTTP status and the problem+json the service (or the gateway) answered. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem || {};
  }
}

function describe(status, p) {
  if (status === 401) return 'The API key was not accepted. Sign in again with a valid key.';
  if (p && (p.detail || p.title)) return (p.title && p.detail ? p.title + ': ' + p.detail : p.detail || p.title);
  return 'The request failed with HTTP ' + status + '.';
}

/**
 * Calls a service's API; resolves to the parsed JSON (or null for no content), rejects with an ApiError. A 401
 * signs the user out, unless the call tries a key given in {@code key} (the sign-in page's check).
 */
export async function api(service, path, options = {}) {
  return call('/svc/' + service + '/' + path.replace(/^\//, ''), options);
}

/** Calls the console's own API (such as timeline/...) the same way, with the signed-in key. */
export async function consoleApi(path, options = {}) {
  return call('/' + path.replace(/^\//, ''), options);
}

async function call(url, {method = 'GET', body, headers = {}, key: tryKey} = {}) {
  const h = {'Accept': 'application/json, application/problem+json', ...headers};
  const key = tryKey || session.key();
  if (key) h['X-Api-Key'] = key;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const response = await fetch(url, {
    method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit',
  });
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = {detail: text.slice(0, 300)}; }
  }
  if (!response.ok) {
    if (response.status === 401 && !tryKey) window.dispatchEvent(new CustomEvent('certflow:unauthorized'));
    throw new ApiError(response.status, json);
  }
  return json;
}

/** The path segment of a value, encoded. */
export const seg = (v) => encodeURIComponent(v);
