// The console's shell: sign-in, the navigation (pages/index.js and the packs' pages) and the hash router
// (#/page/rest…?query), which hands each page { params: { id, rest, query }, api, signal }.
import { Component, render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from './lib/api.js';
import { auth, useAuth } from './lib/auth.js';
import { ErrorBox, Field, Loading, html, useAsync } from './lib/ui.js';
import pages from './pages/index.js';

/** The hash as a route: #/twins/pump-1?tab=history → { segments: ['twins','pump-1'], query: { tab: 'history' } }. */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  const search = at < 0 ? '' : raw.slice(at + 1);
  const segments = path.split('/').filter(Boolean).map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
  return { segments, query: Object.fromEntries(new URLSearchParams(search)), key: path };
}

function useRoute() {
  const [route, setRoute] = useState(parseHash);
  useEffect(() => {
    const changed = () => setRoute(parseHash());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/** The packs' console pages (GET /doppel/packs), as navigation entries; none when the user may not list packs. */
function usePackPages(me) {
  const packs = useAsync(async (signal) => {
    if (!me || !auth.can('simulations', 'read')) return [];
    try {
      const list = await api.list('/doppel/packs', { signal });
      return list.flatMap((pack) => (pack.consolePages ?? []).map((page) => ({
        path: `packs/${pack.name}/${page.name}`,
        title: page.title,
        modelId: page.modelId ?? null,
        pack: pack.name,
        load: () => import(page.module ?? `/console/packs/${encodeURIComponent(pack.name)}/${encodeURIComponent(page.name)}.js`),
      })));
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return [];
    }
  }, [me?.subject]);
  return packs.data ?? [];
}

/** Shows a page's failure instead of a blank screen. */
class Boundary extends Component {
  constructor() {
    super();
    this.state = { error: null };
  }

  static getDerivedStateFromError(error) {
    return { error };
  }

  render({ children }, { error }) {
    return error ? html`<${ErrorBox} title="This page failed" error=${error} />` : children;
  }
}

function PageHost({ entry, route, params }) {
  const [loaded, setLoaded] = useState({ entry: null, Page: null, error: null });
  const controller = useMemo(() => new AbortController(), [route.key]);
  useEffect(() => () => controller.abort(), [controller]);
  useEffect(() => {
    let live = true;
    entry.load().then(
      (module) => { if (live) setLoaded({ entry, Page: module.default, error: null }); },
      (error) => { if (live) setLoaded({ entry, Page: null, error }); },
    );
    return () => { live = false; };
  }, [entry]);
  useEffect(() => {
    // The moment the first page is on screen: what the load-time measurement reads (performance.getEntriesByName).
    if (loaded.Page && !performance.getEntriesByName('doppel-console-ready').length) performance.mark('doppel-console-ready');
  }, [loaded.Page]);
  if (loaded.error) return html`<${ErrorBox} title="The page did not load" error=${loaded.error} />`;
  if (loaded.entry !== entry || !loaded.Page) return html`<${Loading} />`;
  const Page = loaded.Page;
  return html`<${Boundary} key=${route.key}><${Page} params=${params} api=${api} signal=${controller.signal} /><//>`;
}

function SignIn({ config, error }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await auth.signInWithKey(key);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  const oidc = async () => {
    setFailure(null);
    try { await auth.signInWithOidc(); } catch (err) { setFailure(err); }
  };
  return html`<main class="sign-in">
    <h1>Doppel</h1>
    <p>Sign in to this server's console.</p>
    <${ErrorBox} error=${failure ?? error} />
    ${config?.oidc ? html`<p><button type="button" class="primary" onClick=${oidc} data-testid="sign-in-oidc">
      Sign in with ${new URL(config.oidc.authority).host}</button></p><p class="muted">or with an API key:</p>` : null}
    <form onSubmit=${submit}>
      <${Field} label="API key" hint="It starts with dpl_; 'doppel auth keys create' makes one. Kept for this tab only.">
        <input type="password" name="apiKey" autocomplete="off" value=${key} onInput=${(e) => setKey(e.target.value)} placeholder="dpl_…" />
      <//>
      <button type="submit" class=${config?.oidc ? '' : 'primary'} disabled=${busy}>Sign in</button>
    </form>
  </main>`;
}

function App() {
  const state = useAuth();
  const route = useRoute();
  const packPages = usePackPages(state.me);
  useEffect(() => { auth.init(); }, []);
  if (!state.ready) return html`<${Loading} label="Starting…" />`;
  if (!state.me) return html`<${SignIn} config=${state.config} error=${state.error} />`;

  const all = [...pages, ...packPages];
  const visible = all.filter((p) => !p.hidden && (!p.needs || auth.can(p.needs, 'read')));
  const [first, second, third] = route.segments;
  let entry;
  let rest;
  if (first === 'packs') {
    entry = packPages.find((p) => p.path === `packs/${second}/${third}`);
    rest = route.segments.slice(3);
  } else {
    entry = first ? all.find((p) => p.path === first) : visible[0] ?? pages[0];
    rest = route.segments.slice(1);
  }
  const current = entry?.path;
  const params = { id: rest[0], rest, query: route.query, packPages };
  return html`<div class="shell">
    <header class="top">
      <a class="brand" href="#/">Doppel</a>
      <span class="spacer"></span>
      <span class="who" data-testid="who">${state.me.subject} <span class="badge">${state.me.role}</span></span>
      ${state.kind && state.kind !== 'anonymous' ? html`<button type="button" class="link" onClick=${() => auth.signOut()}>Sign out</button>` : null}
    </header>
    <nav class="side" aria-label="Pages">
      ${visible.map((p) => html`<a href=${`#/${p.path}`} class=${p.path === current ? 'active' : ''}>${p.title}</a>`)}
    </nav>
    <main class="content">
      ${entry ? html`<${PageHost} key=${entry.path} entry=${entry} route=${route} params=${params} />`
        : first === 'packs' && !packPages.length ? html`<${Loading} />`
          : html`<${ErrorBox} title="No such page" error=${{ message: `The console has no page '#/${route.key}'.` }} />`}
    </main>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
