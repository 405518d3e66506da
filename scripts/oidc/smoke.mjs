// End-to-end check of provider.mjs with Node's fetch only (no browser). Starts its own provider on
// OIDC_SMOKE_PORT (default 4019) unless OIDC_ISSUER points at one already running. Exits non-zero on failure.
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;
const PORT = env.OIDC_SMOKE_PORT || '4019';
const ISSUER = env.OIDC_ISSUER || `http://127.0.0.1:${PORT}/api/v2`;
const REDIRECT = (env.OIDC_REDIRECT_URI || 'http://127.0.0.1:3000/connexion/proconnect/retour').split(/[\s,]+/)[0];
const POST_LOGOUT = (env.OIDC_POST_LOGOUT_REDIRECT_URI || 'http://127.0.0.1:3000/').split(/[\s,]+/)[0];
const JWT_CLIENT = {
  id: env.OIDC_CLIENT_ID || 'iaf-test',
  secret: env.OIDC_CLIENT_SECRET || 'iaf-test-secret-0123456789abcdefghijklmnop',
  auth: 'post',
};
const JSON_CLIENT = {
  id: env.OIDC_JSON_CLIENT_ID || 'iaf-test-json',
  secret: env.OIDC_JSON_CLIENT_SECRET || 'iaf-test-json-secret-0123456789abcdefghij',
  auth: 'basic',
};
const SCOPE = 'openid email given_name usual_name siret uid idp_id organizational_unit organization_label roles';

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
  return ok;
}
function must(ok, what) {
  if (!check(ok, what)) throw new Error(`stopping: ${what}`);
}
const rand = () => randomBytes(24).toString('base64url');
const b64json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

// ---- A minimal cookie jar honouring Path, and fetch without automatic redirects.
function jar() {
  const cookies = new Map();
  return async (url, init = {}) => {
    const { pathname } = new URL(url);
    const header = [...cookies.values()].filter((c) => pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, ...(header && { cookie: header }) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) || '/';
      const expired = attrs.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now());
      if (expired || value === '') cookies.delete(`${name};${path}`);
      else cookies.set(`${name};${path}`, { name, value, path });
    }
    return res;
  };
}

// ---- RS256 verification with node:crypto against the provider's JWKS.
function verifyJwt(jwt, jwks) {
  const [h, p, s] = jwt.split('.');
  const header = b64json(h);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  const valid = header.alg === 'RS256' && jwk !== undefined
    && verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
  return { valid, header, payload: b64json(p) };
}

// Runs GET /authorize → login form → redirect_uri; returns the redirect_uri query (not called).
async function authorize(discovery, { email, client = JWT_CLIENT, params = {}, pkce, checkPage = false }) {
  const go = jar();
  const state = rand();
  const nonce = rand();
  const verifier = pkce ? rand() + rand() : undefined;
  const query = new URLSearchParams({
    response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, scope: SCOPE, state, nonce, ...params,
    ...(pkce && { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' }),
  });
  let res = await go(`${discovery.authorization_endpoint}?${query}`);
  while (res.status === 302 || res.status === 303) res = await go(new URL(res.headers.get('location'), ISSUER).href);
  const html = await res.text();
  const action = /<form method="post" action="([^"]*\/login)"/.exec(html)?.[1];
  must(res.status === 200 && action, `login page reached for ${email}`);
  const loginUrl = new URL(action, ISSUER).href;
  if (checkPage) {
    check(html.includes('<html lang="fr">'), 'login page is <html lang="fr">');
    check(/<label for="email">Adresse électronique<\/label>\s*<input id="email"/.test(html), 'labelled "Adresse électronique" input');
    check(html.includes('<button type="submit">Se connecter</button>'), '"Se connecter" button');
    check(!/<script/i.test(html), 'login page has no JavaScript');
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const empty = await go(loginUrl, { ...form, body: 'email=' });
    check(empty.status === 400 && (await empty.text()).includes('Veuillez saisir votre adresse électronique'), 'missing login: French error');
    const unknown = await go(loginUrl, { ...form, body: 'email=inconnu%40example.fr' });
    check(unknown.status === 400 && (await unknown.text()).includes('Aucun compte de test'), 'unknown login: French error');
  }
  res = await go(loginUrl, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email }),
  });
  let location = res.headers.get('location');
  while (location && !location.startsWith(REDIRECT)) {
    res = await go(new URL(location, ISSUER).href);
    location = res.headers.get('location');
  }
  must(Boolean(location), `redirected to redirect_uri for ${email} (HTTP ${res.status})`);
  const back = new URL(location).searchParams;
  check(back.get('state') === state, 'state passed through unchanged');
  check(back.get('iss') === ISSUER, 'iss parameter (RFC 9207) equals the issuer');
  return { back, nonce, verifier, go };
}

async function exchange(discovery, code, client, verifier) {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.auth === 'post') body.append('client_id', client.id), body.append('client_secret', client.secret);
  else headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
  if (verifier) body.append('code_verifier', verifier);
  const res = await fetch(discovery.token_endpoint, { method: 'POST', headers, body });
  const json = await res.json();
  must(res.status === 200 && json.token_type === 'Bearer' && json.id_token, `token endpoint (${client.auth === 'post' ? 'client_secret_post' : 'client_secret_basic'}) → ${res.status}`);
  return json;
}

function checkIdToken(idToken, jwks, client, nonce, acr) {
  const { valid, payload } = verifyJwt(idToken, jwks);
  check(valid, 'id_token RS256 signature verifies against the JWKS');
  check(payload.iss === ISSUER && payload.aud === client.id && payload.exp > Date.now() / 1000, 'id_token iss, aud, exp');
  check(payload.nonce === nonce, 'id_token nonce equals the request nonce');
  check(payload.acr === acr, `id_token acr = ${payload.acr} (expected ${acr})`);
  return payload;
}

async function main() {
  let res = await fetch(`${ISSUER}/.well-known/openid-configuration`);
  const discovery = await res.json();
  must(res.status === 200, 'discovery at /api/v2/.well-known/openid-configuration');
  check(discovery.issuer === ISSUER, `issuer = ${discovery.issuer}`);
  check(discovery.end_session_endpoint === `${ISSUER}/session/end`, `end_session_endpoint = ${discovery.end_session_endpoint}`);
  check(discovery.userinfo_signing_alg_values_supported?.includes('RS256'), 'userinfo_signing_alg_values_supported includes RS256');
  check(['eidas1', 'eidas1-mfa', 'eidas2', 'eidas3'].every((v) => discovery.acr_values_supported?.includes(v)), `acr_values_supported = ${discovery.acr_values_supported}`);
  const jwks = await (await fetch(discovery.jwks_uri)).json();

  console.log('\n# 1. Code flow, ProConnect-like client, acr_values=eidas1, no PKCE');
  const julien = 'julien.bernard@saint-etienne.fr';
  const one = await authorize(discovery, { email: julien, params: { acr_values: 'eidas1' }, checkPage: true });
  const tokens = await exchange(discovery, one.back.get('code'), JWT_CLIENT);
  const idt = checkIdToken(tokens.id_token, jwks, JWT_CLIENT, one.nonce, 'eidas1');
  res = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  check(res.status === 200 && res.headers.get('content-type')?.startsWith('application/jwt'), `userinfo content-type ${res.headers.get('content-type')}`);
  const ui = verifyJwt(await res.text(), jwks);
  check(ui.valid && ui.payload.iss === ISSUER && ui.payload.aud === JWT_CLIENT.id, 'userinfo JWT verifies (RS256, iss, aud)');
  const u = ui.payload;
  console.log(`     id_token: ${JSON.stringify(idt)}\n     userinfo: ${JSON.stringify(u)}`);
  check(u.sub === idt.sub && u.email === julien && u.given_name === 'Julien' && u.usual_name === 'Bernard', 'userinfo sub, email, given_name, usual_name');
  check(/^\d{14}$/.test(u.siret) && u.uid && u.idp_id && u.organization_label && Array.isArray(u.roles), `userinfo siret ${u.siret}, uid, idp_id, organization_label, roles ${JSON.stringify(u.roles)}`);
  const bad = await fetch(discovery.token_endpoint, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: one.back.get('code'), redirect_uri: REDIRECT, client_id: JWT_CLIENT.id, client_secret: JWT_CLIENT.secret }),
  });
  check(bad.status === 400, `authorization code replay refused (HTTP ${bad.status})`);

  console.log('\n# 2. RP-initiated logout (id_token_hint, state, post_logout_redirect_uri), no JavaScript');
  const logoutState = rand();
  res = await one.go(`${discovery.end_session_endpoint}?${new URLSearchParams({ id_token_hint: tokens.id_token, state: logoutState, post_logout_redirect_uri: POST_LOGOUT })}`);
  const logoutHtml = await res.text();
  const form = /<form id="op.logoutForm" method="post" action="([^"]*)"><input type="hidden" name="xsrf" value="([^"]*)"/.exec(logoutHtml);
  must(res.status === 200 && form && /name="logout" value="yes"[^>]*>Se déconnecter<\/button>/.test(logoutHtml), 'logout confirmation page with a "Se déconnecter" button');
  check(!/<script/i.test(logoutHtml), 'logout page has no JavaScript');
  res = await one.go(new URL(form[1], ISSUER).href, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ xsrf: form[2], logout: 'yes' }),
  });
  const after = new URL(res.headers.get('location') ?? 'http://invalid/');
  check(after.href.startsWith(POST_LOGOUT) && after.searchParams.get('state') === logoutState, `logout redirects to ${after.origin}${after.pathname}?state=… (HTTP ${res.status})`);
  res = await one.go(`${discovery.end_session_endpoint}?${new URLSearchParams({ client_id: JWT_CLIENT.id, state: logoutState, post_logout_redirect_uri: POST_LOGOUT })}`);
  const again = await res.text();
  check(res.status === 200 && again.includes('>Se déconnecter</button>') && !/<script/i.test(again), 'logout without an OP session: same one-button page, no JavaScript');

  console.log('\n# 3. Essential acr (eidas1-mfa, eidas2, eidas3), PKCE S256, JSON-userinfo client (client_secret_basic)');
  const mfa = { claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['eidas1-mfa', 'eidas2', 'eidas3'] } } }) };
  const two = await authorize(discovery, { email: 'camille.martin@saint-etienne.fr', client: JSON_CLIENT, params: mfa, pkce: true });
  const t2 = await exchange(discovery, two.back.get('code'), JSON_CLIENT, two.verifier);
  checkIdToken(t2.id_token, jwks, JSON_CLIENT, two.nonce, 'eidas1-mfa');
  res = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${t2.access_token}` } });
  check(res.headers.get('content-type')?.startsWith('application/json') && (await res.json()).siret === '21420218600018', 'userinfo as plain JSON for the second client');

  console.log('\n# 4. Essential acr eidas1-mfa for an account that only reaches eidas1');
  const three = await authorize(discovery, { email: julien, params: mfa });
  console.log(`     → redirect_uri?error=${three.back.get('error')}&error_description=${three.back.get('error_description')}`);
  check(three.back.get('error') === 'unmet_authentication_requirements' && !three.back.has('code'), 'error unmet_authentication_requirements, no code');

  console.log('\n# 5. Same request, account with "unmet_acr": "downgrade" (a weaker acr than required)');
  const four = await authorize(discovery, { email: 'nadia.benali@saint-etienne.fr', params: mfa });
  const t4 = await exchange(discovery, four.back.get('code'), JWT_CLIENT);
  checkIdToken(t4.id_token, jwks, JWT_CLIENT, four.nonce, 'eidas1');

  console.log('\n# 6. acr_values=eidas1-mfa (voluntary, not essential) for the eidas1-only account');
  const five = await authorize(discovery, { email: julien, params: { acr_values: 'eidas1-mfa' } });
  const t5 = await exchange(discovery, five.back.get('code'), JWT_CLIENT);
  checkIdToken(t5.id_token, jwks, JWT_CLIENT, five.nonce, 'eidas1');
}

let child;
if (!env.OIDC_ISSUER) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'provider.mjs');
  child = spawn(process.execPath, [script], { env: { ...env, OIDC_PORT: PORT }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => d.toString().includes('OIDC provider ready on') && resolve());
    child.on('exit', (code) => reject(new Error(`provider exited early (${code})`)));
  });
}
try {
  await main();
} catch (err) {
  check(false, err.message);
}
if (child) {
  const code = await new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
  check(code === 0, `provider exits cleanly on SIGTERM (code ${code})`);
}
console.log(failures ? `\n${failures} check(s) failed` : '\nAll checks passed');
process.exit(failures ? 1 : 0);
