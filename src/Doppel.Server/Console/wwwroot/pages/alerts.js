// Alerts: the list with its filters (state, severity, rule, twin), kept live from the event stream (types=alert);
// acknowledge with a note, resolve by hand; a row opens the alert's transitions. The API decides what is visible:
// an alert shows to whoever may read its twin, and ack/resolve need write access to the twin.
import { useEffect, useRef, useState } from 'preact/hooks';
import { subscribeEvents } from '../lib/events.js';
import { Badge, ErrorBox, Field, Loading, formatTime, formatValue, href, html, useAsync } from '../lib/ui.js';

export const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'];
const SEVERITY_KIND = { critical: 'danger', major: 'danger', minor: 'warn', warning: 'warn', info: 'info' };
const STATE_KIND = { raised: 'danger', acknowledged: 'warn', resolved: 'ok' };

export function SeverityBadge({ severity }) {
  return html`<${Badge} kind=${SEVERITY_KIND[severity] ?? ''}>${severity}<//>`;
}

export function StateBadge({ state }) {
  return html`<${Badge} kind=${STATE_KIND[state] ?? ''}>${state}<//>`;
}

/** True when an alert belongs in a list filtered as filters say (state 'open' = raised or acknowledged; '' = any). */
function matches(alert, filters) {
  if (filters.state === 'open' ? alert.state === 'resolved' : filters.state && alert.state !== filters.state) return false;
  if (filters.severity && alert.severity !== filters.severity) return false;
  if (filters.ruleId && alert.ruleId !== filters.ruleId) return false;
  if (filters.twinId && alert.twinId !== filters.twinId) return false;
  return true;
}

function newestFirst(a, b) {
  return String(b.raisedTime).localeCompare(String(a.raisedTime));
}

/** Acknowledge or resolve, with an optional note. */
function Action({ alert, verb, api, onDone }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const label = verb === 'ack' ? 'Acknowledge' : 'Resolve';
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await api.post(`/doppel/alerts/${encodeURIComponent(alert.id)}/${verb}`, note ? { note } : {});
      setOpen(false);
      setNote('');
      onDone(updated);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (!open) {
    return html`<button type="button" onClick=${(e) => { e.stopPropagation(); setOpen(true); }} data-testid=${`alert-${verb}`}>${label}</button>`;
  }
  return html`<form class="row" onSubmit=${submit} onClick=${(e) => e.stopPropagation()}>
    <input type="text" placeholder="Note (optional)" aria-label=${`${label} note`} value=${note} onInput=${(e) => setNote(e.target.value)} data-testid=${`alert-${verb}-note`} />
    <button type="submit" class="primary" disabled=${busy} data-testid=${`alert-${verb}-confirm`}>${label}</button>
    <button type="button" class="link" onClick=${() => setOpen(false)}>Cancel</button>
    <${ErrorBox} error=${error} />
  </form>`;
}

/** One alert's transitions (GET /doppel/alerts/{id}). */
function Transitions({ id, api, signal, version }) {
  const detail = useAsync((s) => api.get(`/doppel/alerts/${encodeURIComponent(id)}`, { signal: s }), [id, version]);
  if (detail.loading && !detail.data) return html`<${Loading} />`;
  if (detail.error) return html`<${ErrorBox} error=${detail.error} />`;
  return html`<ol class="transitions" data-testid="alert-transitions">
    ${(detail.data.transitions ?? []).map((t) => html`<li><${StateBadge} state=${t.state} /> ${formatTime(t.time)}${t.by ? html` by <strong>${t.by}</strong>` : null}${t.note ? html`: <em>${t.note}</em>` : null}</li>`)}
  </ol>`;
}

export default function AlertsPage({ params, api, signal }) {
  const [filters, setFilters] = useState({
    state: params?.query?.state ?? 'open',
    severity: params?.query?.severity ?? '',
    ruleId: params?.query?.ruleId ?? '',
    twinId: params?.query?.twinId ?? '',
  });
  const [twinText, setTwinText] = useState(filters.twinId);
  const [expanded, setExpanded] = useState(null);
  const [live, setLive] = useState('connecting');
  const [streamError, setStreamError] = useState(null);
  const [changes, setChanges] = useState(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const rules = useAsync((s) => api.list('/doppel/rules', { signal: s }).catch((e) => (e.status === 403 ? [] : Promise.reject(e))), []);
  const alerts = useAsync((s) => api.list('/doppel/alerts', {
    query: { state: filters.state || undefined, severity: filters.severity, ruleId: filters.ruleId, twinId: filters.twinId },
    signal: s,
    max: 1000,
  }), [filters.state, filters.severity, filters.ruleId, filters.twinId]);

  // Live: each alert event replaces the alert in the list, adds it when it now matches, drops it when it no longer does.
  useEffect(() => {
    const stream = subscribeEvents({ types: ['alert'] }, {
      onEvent: (event) => {
        const alert = event.data;
        if (!alert?.id) return;
        alerts.setData((list) => {
          const others = (list ?? []).filter((a) => a.id !== alert.id);
          return matches(alert, filtersRef.current) ? [alert, ...others].sort(newestFirst) : others;
        });
        setChanges((c) => c + 1);
      },
      onStatus: setLive,
      onError: setStreamError,
    });
    return () => stream.close();
  }, []);

  const set = (name) => (e) => setFilters((f) => ({ ...f, [name]: e.target.value }));
  const replaced = (updated) => {
    alerts.setData((list) => (list ?? []).map((a) => (a.id === updated.id ? updated : a)).filter((a) => matches(a, filtersRef.current)));
    setChanges((c) => c + 1);
  };

  const list = alerts.data ?? [];
  return html`<section class="page alerts-page">
    <h1>Alerts</h1>
    <div class="toolbar">
      <${Field} label="State">
        <select aria-label="State" value=${filters.state} onChange=${set('state')} data-testid="alerts-state">
          <option value="open">Open</option><option value="raised">Raised</option><option value="acknowledged">Acknowledged</option>
          <option value="resolved">Resolved</option><option value="">Any</option>
        </select>
      <//>
      <${Field} label="Severity">
        <select aria-label="Severity" value=${filters.severity} onChange=${set('severity')}>
          <option value="">Any</option>${SEVERITIES.map((s) => html`<option value=${s}>${s}</option>`)}
        </select>
      <//>
      <${Field} label="Rule">
        <select aria-label="Rule" value=${filters.ruleId} onChange=${set('ruleId')}>
          <option value="">Any</option>${(rules.data ?? []).map((r) => html`<option value=${r.id}>${r.id}</option>`)}
        </select>
      <//>
      <form class="row" onSubmit=${(e) => { e.preventDefault(); setFilters((f) => ({ ...f, twinId: twinText.trim() })); }}>
        <${Field} label="Twin"><input type="search" aria-label="Twin" value=${twinText} onInput=${(e) => setTwinText(e.target.value)} placeholder="twin id" /><//>
        <button type="submit">Filter</button>
      </form>
      <span class="spacer"></span>
      <span class="muted" data-testid="alerts-live" data-status=${live}>${live === 'open' ? 'Live' : live}</span>
      <a href="#/rules">Rules…</a>
    </div>
    <${ErrorBox} error=${streamError} title="Live updates stopped" />
    ${alerts.loading && !alerts.data ? html`<${Loading} />` : alerts.error ? html`<${ErrorBox} error=${alerts.error} onRetry=${alerts.reload} />` : null}
    ${list.length === 0 && !alerts.loading && !alerts.error ? html`<p class="empty" data-testid="alerts-empty">No alerts match.</p>` : null}
    ${list.length > 0 ? html`<div class="table-wrap"><table class="table" data-testid="alerts-table" data-changes=${changes}>
      <thead><tr><th>Severity</th><th>State</th><th>Twin</th><th>Rule</th><th>Message</th><th class="num">Value</th><th>Raised</th><th>Acknowledged</th><th>Resolved</th><th></th></tr></thead>
      <tbody>${list.map((a) => html`
        <tr key=${a.id} class="clickable" data-testid="alert-row" data-alert-id=${a.id} data-twin=${a.twinId} data-rule=${a.ruleId} data-state=${a.state}
            onClick=${() => setExpanded(expanded === a.id ? null : a.id)}>
          <td><${SeverityBadge} severity=${a.severity} /></td>
          <td><${StateBadge} state=${a.state} /></td>
          <td><a href=${href('twins', a.twinId)} onClick=${(e) => e.stopPropagation()}>${a.twinId}</a></td>
          <td>${a.ruleId}</td>
          <td>${a.message}</td>
          <td class="num">${formatValue(a.value)}</td>
          <td>${formatTime(a.raisedTime)}</td>
          <td>${a.acknowledged ? html`${a.acknowledged.by} ${formatTime(a.acknowledged.time)}${a.acknowledged.note ? html`: <em>${a.acknowledged.note}</em>` : null}` : null}</td>
          <td>${a.resolved ? html`${a.resolved.reason}${a.resolved.by ? ` by ${a.resolved.by}` : ''} ${formatTime(a.resolved.time)}${a.resolved.note ? html`: <em>${a.resolved.note}</em>` : null}` : null}</td>
          <td>${a.state !== 'resolved' ? html`<span class="row">
            ${a.state === 'raised' ? html`<${Action} alert=${a} verb="ack" api=${api} onDone=${replaced} />` : null}
            <${Action} alert=${a} verb="resolve" api=${api} onDone=${replaced} /></span>` : null}</td>
        </tr>
        ${expanded === a.id ? html`<tr key=${`${a.id}-detail`}><td colspan="10"><${Transitions} id=${a.id} api=${api} signal=${signal} version=${a.state} /></td></tr>` : null}`)}
      </tbody>
    </table></div>` : null}
  </section>`;
}
