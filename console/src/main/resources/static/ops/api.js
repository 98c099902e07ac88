// The dashboards' API, with the operator key in the X-Api-Key header (never in a URL).

const KEY = 'certflow.ops.key';

export const storedKey = () => sessionStorage.getItem(KEY);
export const storeKey = (key) => sessionStorage.setItem(KEY, key);
export const forgetKey = () => sessionStorage.removeItem(KEY);

/** An answer the API refused, with its problem+json detail and status. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function call(method, path) {
  const response = await fetch(path, {
    method,
    headers: { 'X-Api-Key': storedKey() ?? '', Accept: 'application/json' },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, body.detail ?? `${response.status} ${response.statusText}`);
  }
  return body;
}

export const me = () => call('GET', '/ops/api/me');
export const overview = () => call('GET', '/ops/api/overview');
export const topic = (name) => call('GET', `/ops/api/topics/${encodeURIComponent(name)}`);
export const deadLetters = (name) => call('GET', `/ops/api/dead-letters/${encodeURIComponent(name)}`);
export const replay = (dlt, partition, offset) =>
  call('POST', `/ops/api/dead-letters/${encodeURIComponent(dlt)}/records/${partition}/${offset}/replay`);
