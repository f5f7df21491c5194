// Sign-in: through the identity provider (authorization code + PKCE) or, on a local run, a local sign-in.
import { session } from './api.js';
import { el, field, select, notice } from './ui.js';

const PKCE = 'dealflow.pkce';

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function options() {
  return (await fetch('/app/sign-in')).json();
}

/** Finishes an authorization-code redirect, if this page load is one; true when signed in by it. */
export async function completeRedirect() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PKCE) || 'null');
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, '', location.pathname + (pending?.hash || '#/board'));
  if (!pending || params.get('state') !== pending.state) {
    notice('Sign-in failed: the answer does not belong to this sign-in. Please sign in again.', true);
    return false;
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: pending.redirectUri,
      client_id: pending.clientId, code_verifier: pending.verifier }),
  });
  if (!response.ok) { notice('Sign-in failed at the identity provider.', true); return false; }
  const token = await response.json();
  const claims = JSON.parse(atob(token.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  session.set({ accessToken: token.access_token, subject: claims.sub, scope: token.scope || claims.scope || '' });
  return true;
}

async function startRedirect(o) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const redirectUri = location.origin + '/';
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state, redirectUri, tokenEndpoint: o.tokenEndpoint,
    clientId: o.clientId, hash: location.hash }));
  const url = new URL(o.authorizationEndpoint);
  Object.entries({ response_type: 'code', client_id: o.clientId, redirect_uri: redirectUri, scope: o.scope, state,
    code_challenge: challenge, code_challenge_method: 'S256' }).forEach(([k, v]) => url.searchParams.set(k, v));
  location.assign(url.toString());
}

export async function render(main, done) {
  const o = await options();
  main.replaceChildren();
  const box = el('section.panel.signin', { 'aria-labelledby': 'signin-title' }, el('h1', { id: 'signin-title' }, 'Sign in to DealFlow'));
  main.append(box);
  if (o.method === 'oidc') {
    box.append(el('button', { id: 'sign-in', onclick: () => startRedirect(o) }, 'Sign in'));
    return;
  }
  if (o.method !== 'local') {
    box.append(el('p', {}, 'No sign-in is configured on this gateway (set the identity provider, or LOCAL_SIGN_IN for a local run).'));
    return;
  }
  const name = el('input', { name: 'name', id: 'signin-name', required: true, autocomplete: 'username', value: 'ann' });
  const role = select('role', [['seller', 'Seller'], ['leader', 'Sales leader']], 'seller', { id: 'signin-role' });
  const form = el('form.fields', {}, field('Name', name), field('Role', role), el('button', { type: 'submit', id: 'sign-in' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const response = await fetch('/app/sign-in/local', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: name.value.trim(), role: role.value }) });
    const body = await response.json();
    if (!response.ok) { notice(body.detail || 'Sign-in refused', true); return; }
    session.set(body);
    done();
  });
  box.append(el('p', {}, 'Local run: choose who you are. A seller works the pipeline; a sales leader may also import history.'), form);
  name.focus();
}
