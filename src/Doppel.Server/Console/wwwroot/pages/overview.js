// The landing page: which server this is, who you are here and what you may do.
import { api } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';
import { ErrorBox, Loading, Table, html, useAsync } from '../lib/ui.js';

export default function Overview({ signal }) {
  const { me, kind } = useAuth();
  const about = useAsync((s) => api.get('/', { signal: s }), []);
  const rights = Object.entries(me?.access ?? {}).map(([resource, access]) => ({ resource, read: access.find((a) => a.startsWith('read')) ?? '', write: access.find((a) => a.startsWith('write')) ?? '' }));
  return html`<section class="page">
    <h1>Overview</h1>
    ${about.loading ? html`<${Loading} />` : about.error ? html`<${ErrorBox} error=${about.error} />` : html`
      <p>${about.data.description} <span class="muted">Version ${about.data.version}.</span></p>`}
    <h2>You</h2>
    <p>Signed in as <strong data-testid="subject">${me?.subject}</strong> with the role <strong>${me?.role}</strong>
      ${kind === 'anonymous' ? ' (anonymous: this server lets loopback callers in without a credential)' : kind === 'key' ? ' (API key)' : kind === 'oidc' ? ' (identity provider)' : ''}.</p>
    <${Table} columns=${[{ key: 'resource', title: 'Resource' }, { key: 'read', title: 'Read' }, { key: 'write', title: 'Write' }]}
      rows=${rights} rowKey=${(r) => r.resource} empty="No rights." />
    <p class="muted">"(some)": a policy allows it on some twins only.</p>
  </section>`;
}
