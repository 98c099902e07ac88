// Server-Sent Events read with fetch(), because a browser's EventSource cannot send the X-Api-Key header.
import { ApiError, storedKey } from './api.js';

/**
 * Reads /ops/api/stream and calls onEvent(name, data) for each event, until the stream ends or signal aborts.
 * Resolves when the server ends the stream; rejects with an ApiError when the key is refused.
 */
export async function readStream(onEvent, signal) {
  const response = await fetch('/ops/api/stream', {
    headers: { 'X-Api-Key': storedKey() ?? '', Accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new ApiError(response.status, body.detail ?? `${response.status} ${response.statusText}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      dispatch(block, onEvent);
    }
  }
}

/** One SSE block: "event:" names it, "data:" lines make its data, ":" lines are comments (keep-alives). */
function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = text;
    if (field === 'data') data.push(text);
  }
  if (data.length) onEvent(name, JSON.parse(data.join('\n')));
}
