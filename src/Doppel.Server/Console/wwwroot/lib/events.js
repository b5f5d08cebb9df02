// Live events: one EventSource on /doppel/streams/events with the filter of the caller, the credential as access_token
// (a browser's EventSource cannot set headers), and reconnection after the server refuses or drops the stream.
import { ApiError, currentToken, readError, reportUnauthorized, url } from './api.js';

/** The CloudEvents types the server sends (and the stream's own notices); EventSource hears only named events it listens for. */
export const EVENT_TYPES = [
  'Microsoft.DigitalTwins.Twin.Create',
  'Microsoft.DigitalTwins.Twin.Update',
  'Microsoft.DigitalTwins.Twin.Delete',
  'Microsoft.DigitalTwins.Relationship.Create',
  'Microsoft.DigitalTwins.Relationship.Update',
  'Microsoft.DigitalTwins.Relationship.Delete',
  'microsoft.iot.telemetry',
  'doppel.alert.raised',
  'doppel.alert.acknowledged',
  'doppel.alert.resolved',
];

/** The stream's address for a filter: { twinIds, model, types, where, capacity } (all optional; arrays or comma lists). */
export function streamUrl(filter = {}) {
  const list = (v) => (Array.isArray(v) ? v.join(',') : v);
  return url('/doppel/streams/events', {
    twinId: list(filter.twinIds),
    model: filter.model,
    types: list(filter.types),
    where: filter.where,
    capacity: filter.capacity,
    access_token: currentToken(),
  });
}

/**
 * Subscribes to live events. handlers: onEvent(cloudEvent), onStatus('connecting'|'open'|'retrying'|'closed'),
 * onError(ApiError) for a refused stream (a bad filter or no right: not retried), onDropped(count) when the server
 * dropped events for a slow reader; extraTypes: event names beyond EVENT_TYPES. Answers { close() }.
 */
export function subscribeEvents(filter, { onEvent, onStatus = () => {}, onError = () => {}, onDropped = () => {}, extraTypes = [] } = {}) {
  let source = null;
  let closed = false;
  let retry = 0;
  let timer = null;

  const handle = (message) => {
    retry = 0;
    let event;
    try { event = JSON.parse(message.data); } catch { return; }
    onEvent?.(event);
  };

  const open = () => {
    if (closed) return;
    onStatus(retry === 0 ? 'connecting' : 'retrying');
    const address = streamUrl(filter);
    source = new EventSource(address);
    source.addEventListener('subscribed', () => { retry = 0; onStatus('open'); });
    source.addEventListener('dropped', (m) => { try { onDropped(JSON.parse(m.data).dropped); } catch { /* ignore */ } });
    for (const type of [...EVENT_TYPES, ...extraTypes]) source.addEventListener(type, handle);
    source.onerror = async () => {
      if (closed || source.readyState !== EventSource.CLOSED) {
        if (!closed) onStatus('retrying'); // the browser reconnects by itself
        return;
      }
      // The server answered with an error: ask it why (EventSource cannot read the body), retry only what may pass later.
      source = null;
      let error = null;
      const probe = new AbortController();
      try {
        const response = await fetch(address, { headers: { Accept: 'text/event-stream' }, signal: probe.signal });
        if (!response.ok) error = await readError(response);
      } catch { /* network: retry */ }
      probe.abort();
      if (closed) return;
      if (error && error.status >= 400 && error.status < 500 && error.status !== 429) {
        if (error.status === 401) reportUnauthorized(error);
        onError(error);
        onStatus('closed');
        return;
      }
      retry += 1;
      onStatus('retrying');
      timer = setTimeout(open, Math.min(30000, 500 * 2 ** Math.min(retry, 6)));
    };
  };

  open();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
      onStatus('closed');
    },
  };
}

/** The numeric leaves of a telemetry payload as dotted names: {"a":1,"b":{"c":2}} → [['a',1],['b.c',2]]. */
export function numericLeaves(data, prefix = '') {
  const out = [];
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const [name, value] of Object.entries(data)) {
      if (name.startsWith('$')) continue;
      const path = prefix ? `${prefix}.${name}` : name;
      if (typeof value === 'number' && Number.isFinite(value)) out.push([path, value]);
      else if (typeof value === 'boolean') out.push([path, value ? 1 : 0]);
      else if (value && typeof value === 'object') out.push(...numericLeaves(value, path));
    }
  }
  return out;
}

export { ApiError };
