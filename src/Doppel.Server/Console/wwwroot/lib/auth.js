// Who the console acts as. An API key (kept in sessionStorage, so it ends with the tab), a token from the configured
// OpenID Connect provider (authorization code with PKCE), or nobody where the server lets loopback callers in as the
// anonymous owner. What the user may do comes from GET /doppel/auth/whoami; the API enforces it either way.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, configureApi, readError } from './api.js';

const STORE = 'doppel.credential';
const PENDING = 'doppel.oidc';
const listeners = new Set();

let state = {
  ready: false, // init() finished
  config: null, // GET /doppel/auth/config: { anonymous, apiKeys, oidc: { authority, clientId, scope } | null }
  kind: null, // 'key' | 'oidc' | 'anonymous' | null (signed out)
  me: null, // GET /doppel/auth/whoami: { subject, role, access: { twins: ['read', 'write (some)'], … } }
  error: null, // why the last sign-in failed (ApiError or Error)
};

function set(patch) {
  state = { ...state, ...patch };
  for (const listener of listeners) listener(state);
}

function stored() {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORE) ?? 'null');
    if (value && value.expiresAt && value.expiresAt < Date.now()) {
      sessionStorage.removeItem(STORE);
      return null;
    }
    return value;
  } catch {
    return null;
  }
}

function token() { return stored()?.token ?? null; }

configureApi({
  token,
  // A credential the server no longer takes (revoked key, expired token): back to the sign-in page, saying why.
  unauthorized: (error) => {
    if (state.me) {
      sessionStorage.removeItem(STORE);
      set({ me: null, kind: null, error });
    }
  },
});

async function whoami(credential) {
  const headers = { Accept: 'application/json' };
  if (credential) headers.Authorization = `Bearer ${credential}`;
  const response = await fetch('/doppel/auth/whoami', { headers });
  if (!response.ok) throw await readError(response);
  return response.json();
}

/** Loads the server's sign-in settings, finishes an OpenID Connect redirect if this page load is one, and asks who we are. */
async function init() {
  let config = { anonymous: false, apiKeys: true, oidc: null };
  try {
    const response = await fetch('/doppel/auth/config', { headers: { Accept: 'application/json' } });
    if (response.ok) config = await response.json();
  } catch { /* the server is unreachable; whoami below says so */ }
  set({ config });
  let error = null;
  try {
    await completeOidc(config);
  } catch (e) {
    error = e;
  }
  await refresh();
  set({ ready: true, ...(error ? { error } : {}) });
}

/** Asks the server who the current credential is (or whether anonymous access is allowed). */
async function refresh() {
  const saved = stored();
  if (!saved && state.config && !state.config.anonymous) {
    // Nobody signed in where credentials are required: straight to sign-in, without a request bound to fail.
    set({ me: null, kind: null });
    return null;
  }
  try {
    const me = await whoami(saved?.token);
    set({ me, kind: saved?.kind ?? 'anonymous', error: null });
  } catch (e) {
    if (saved) sessionStorage.removeItem(STORE);
    set({ me: null, kind: null, error: saved || !(e instanceof ApiError && e.unauthorized) ? e : null });
  }
  return state.me;
}

/** Signs in with an API key (dpl_…): kept for this tab only. Throws ApiError when the server refuses it. */
async function signInWithKey(key) {
  const trimmed = (key ?? '').trim();
  if (!trimmed) throw new ApiError(400, 'MissingArgument', 'Paste an API key (it starts with dpl_).');
  try {
    const me = await whoami(trimmed);
    sessionStorage.setItem(STORE, JSON.stringify({ kind: 'key', token: trimmed }));
    set({ me, kind: 'key', error: null });
    return me;
  } catch (e) {
    const error = e instanceof ApiError && e.unauthorized
      ? new ApiError(401, e.code, `The server does not accept this key: ${e.message}`, e.body)
      : e;
    set({ error });
    throw error;
  }
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function discovery(authority) {
  const response = await fetch(`${authority}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`The identity provider ${authority} did not give its configuration (${response.status}).`);
  return response.json();
}

/** Sends the browser to the identity provider (authorization code with PKCE); it comes back to / with ?code=…&state=…. */
async function signInWithOidc() {
  const oidc = state.config?.oidc;
  if (!oidc) throw new Error('This server has no OpenID Connect client for the console (doppel serve --auth-client-id).');
  const provider = await discovery(oidc.authority);
  const verifier = randomString();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const nonce = randomString();
  const pending = { verifier, state: randomString(), returnTo: location.hash };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const target = new URL(provider.authorization_endpoint);
  target.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: `${location.origin}/`,
    scope: oidc.scope || 'openid',
    state: pending.state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(target.href);
}

/** On the way back from the provider: trades the code for a token, then cleans the address bar. */
async function completeOidc(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `/${pending?.returnTo ?? ''}`);
  dispatchEvent(new HashChangeEvent('hashchange')); // replaceState does not tell the router the page changed
  if (params.has('error')) {
    throw new Error(`The identity provider refused the sign-in: ${params.get('error_description') ?? params.get('error')}.`);
  }
  if (!config.oidc) throw new Error('This server has no OpenID Connect client for the console.');
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('The sign-in answer does not match a sign-in this tab started; sign in again.');
  }
  const provider = await discovery(config.oidc.authority);
  const response = await fetch(provider.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: `${location.origin}/`,
      client_id: config.oidc.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new Error(`The identity provider did not give a token: ${body.error_description ?? body.error ?? response.status}.`);
  }
  const expiresAt = body.expires_in ? Date.now() + body.expires_in * 1000 : null;
  sessionStorage.setItem(STORE, JSON.stringify({ kind: 'oidc', token: body.access_token, expiresAt }));
}

function signOut() {
  sessionStorage.removeItem(STORE);
  set({ me: null, kind: null, error: null });
  // Where anonymous access is allowed, "signed out" is the anonymous owner again.
  if (state.config?.anonymous) refresh();
}

function rights(resource) {
  return state.me?.access?.[resource] ?? [];
}

/**
 * The sign-in state and what it allows.
 *   auth.state → { ready, config, kind, me, error } · auth.subscribe(fn) → unsubscribe
 *   auth.can('twins', 'write') → allowed on some or all · auth.canEverywhere('twins', 'write') → on all
 *   auth.init() · auth.refresh() · auth.signInWithKey(key) · auth.signInWithOidc() · auth.signOut() · auth.token()
 */
export const auth = {
  get state() { return state; },
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  can(resource, access = 'read') {
    return rights(resource).some((r) => r === access || r === `${access} (some)`);
  },
  canEverywhere(resource, access = 'read') {
    return rights(resource).includes(access);
  },
  init,
  refresh,
  signInWithKey,
  signInWithOidc,
  signOut,
  token,
};

/** A hook: the sign-in state, re-rendering on change. */
export function useAuth() {
  const [current, setCurrent] = useState(state);
  useEffect(() => auth.subscribe(setCurrent), []);
  return current;
}
