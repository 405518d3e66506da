// OpenID Connect test provider configured like ProConnect (tests only, loopback only).
// See README.md in this folder for the environment variables, the accounts and the ProConnect notes.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { interactionPolicy } from 'oidc-provider';

const env = process.env;
const HOST = '127.0.0.1';
const PORT = Number(env.OIDC_PORT || 4010);
// The port the issuer is reached on: the listening one, unless a proxy stands in front (the tests' tampering).
const PUBLIC_PORT = Number(env.OIDC_PUBLIC_PORT || PORT);
const PREFIX = '/api/v2';
const ISSUER = `http://${HOST}:${PUBLIC_PORT}${PREFIX}`;
const HERE = dirname(fileURLToPath(import.meta.url));
const ACR_VALUES = ['eidas0', 'eidas0-mfa', 'eidas1', 'eidas1-mfa', 'eidas2', 'eidas3'];
const MFA_ACRS = new Set(['eidas0-mfa', 'eidas1-mfa', 'eidas2', 'eidas3']);
const UNMET_DEFAULT = env.OIDC_UNMET_ACR === 'downgrade' ? 'downgrade' : 'error';
const list = (value, fallback) => (value || fallback).split(/[\s,]+/).filter(Boolean);

// ---- Accounts: a JSON object keyed by login (email); accountId is the account's `sub`.
const ACCOUNTS_FILE = env.OIDC_ACCOUNTS || join(HERE, 'accounts.json');
const accounts = new Map();
const bySub = new Map();
for (const [login, raw] of Object.entries(JSON.parse(readFileSync(ACCOUNTS_FILE, 'utf8')))) {
  const account = { email: login, ...raw };
  if (!account.sub || !/^\d{14}$/.test(account.siret ?? '')) {
    throw new Error(`${ACCOUNTS_FILE}: ${login} needs a sub and a 14-digit siret`);
  }
  // An agent of several organisations chooses one at each sign-in, as at ProConnect.
  if ((account.organizations ?? []).some((org) => !/^\d{14}$/.test(org.siret ?? '') || !org.organization_label)) {
    throw new Error(`${ACCOUNTS_FILE}: ${login} has an organisation without a 14-digit siret or a label`);
  }
  for (const acr of [].concat(account.acr ?? 'eidas1')) {
    if (!ACR_VALUES.includes(acr)) throw new Error(`${ACCOUNTS_FILE}: ${login} has unknown acr ${acr}`);
  }
  accounts.set(login.toLowerCase(), account);
  bySub.set(account.sub, account);
}
const CLAIM_NAMES = ['sub', 'email', 'given_name', 'usual_name', 'uid', 'siret', 'idp_id',
  'organization_label', 'roles', 'organizational_unit', 'belonging_population', 'phone_number', 'chorusdt'];

// ---- Signing keys: private JWKS from OIDC_JWKS, else one RSA key generated at start.
function signingKeys() {
  if (env.OIDC_JWKS) return JSON.parse(readFileSync(env.OIDC_JWKS, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `iaf-test-${randomBytes(6).toString('hex')}`;
  return { keys: [{ ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
}

// ---- Clients: the ProConnect-like one (signed userinfo, client_secret_post) and a plain JSON one.
const redirectUris = list(env.OIDC_REDIRECT_URI, 'http://127.0.0.1:3000/connexion/proconnect/retour');
const postLogoutUris = list(env.OIDC_POST_LOGOUT_REDIRECT_URI, 'http://127.0.0.1:3000/');
const common = {
  redirect_uris: redirectUris, post_logout_redirect_uris: postLogoutUris,
  response_types: ['code'], grant_types: ['authorization_code'], id_token_signed_response_alg: 'RS256',
};
const clients = [{
  ...common,
  client_id: env.OIDC_CLIENT_ID || 'iaf-test',
  client_secret: env.OIDC_CLIENT_SECRET || 'iaf-test-secret-0123456789abcdefghijklmnop',
  token_endpoint_auth_method: 'client_secret_post',
  userinfo_signed_response_alg: 'RS256',
}, {
  ...common,
  client_id: env.OIDC_JSON_CLIENT_ID || 'iaf-test-json',
  client_secret: env.OIDC_JSON_CLIENT_SECRET || 'iaf-test-json-secret-0123456789abcdefghij',
  token_endpoint_auth_method: 'client_secret_basic',
}];

// ---- HTML (French, no JavaScript anywhere).
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const STYLE = 'body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}'
  + 'label,input,button{display:block;font-size:1rem;margin:.4rem 0}input{width:100%;padding:.4rem}'
  + 'button{padding:.5rem 1rem}.erreur{color:#b00020;font-weight:bold}';
const page = (title, body) => `<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – ProConnect de test</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(title)}</h1>
${body}
</main></body>
</html>`;

// The organisation each agent of several chose at their last sign-in (by sub).
const chosen = new Map();

function organisationPage(uid, account, error = '') {
  const choices = account.organizations.map((org, i) => `<div>
<input type="radio" id="organisation-${i}" name="siret" value="${esc(org.siret)}" required>
<label for="organisation-${i}">${esc(org.organization_label)} (SIRET ${esc(org.siret)})</label>
</div>`).join('');
  return page('Choix de l\'organisation', `${error ? `<p class="erreur" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="${PREFIX}/interaction/${esc(uid)}/login">
<input type="hidden" name="email" value="${esc(account.email)}">
<fieldset><legend>Pour quelle organisation vous connectez-vous ?</legend>${choices}</fieldset>
<button type="submit">Continuer</button>
</form>`);
}

function loginPage(uid, { email = '', error = '' } = {}) {
  const known = [...accounts.values()]
    .map((a) => `<li>${esc(a.email)} (${esc([].concat(a.acr ?? 'eidas1').join(', '))})</li>`).join('');
  return page('Connexion', `<p>Fournisseur d'identité de test d'IA Factory : aucun mot de passe n'est demandé.</p>
${error ? `<p class="erreur" role="alert" id="erreur">${esc(error)}</p>` : ''}
<form method="post" action="${PREFIX}/interaction/${esc(uid)}/login">
<label for="email">Adresse électronique</label>
<input id="email" name="email" type="email" autocomplete="username" value="${esc(email)}"${error ? ' aria-describedby="erreur"' : ''}>
<button type="submit">Se connecter</button>
</form>
<form method="post" action="${PREFIX}/interaction/${esc(uid)}/abort"><button type="submit">Annuler</button></form>
<h2>Comptes de test</h2><ul>${known}</ul>`);
}

const LOGOUT_QUESTION = "Voulez-vous vous déconnecter du fournisseur d'identité de test ?";
const LOGOUT_BUTTON = '<button type="submit" name="logout" value="yes"';
function confirmLogoutPage(action, inputs, switching) {
  const hidden = inputs.map(([n, v]) => `<input type="hidden" name="${n}" value="${v}">`).join('');
  const text = switching ? 'Vous êtes déjà connecté avec un autre compte : déconnectez-vous pour continuer.' : LOGOUT_QUESTION;
  return page('Déconnexion', `<p>${text}</p>
<form method="post" action="${action}">${hidden}${LOGOUT_BUTTON}>Se déconnecter</button></form>`);
}

async function logoutSource(ctx, form) {
  ctx.type = 'html';
  ctx.body = page('Déconnexion', `<p>${LOGOUT_QUESTION}</p>
${form}
${LOGOUT_BUTTON} form="op.logoutForm">Se déconnecter</button>`);
}

async function postLogoutSuccessSource(ctx) {
  ctx.type = 'html';
  ctx.body = page('Déconnexion réussie', '<p>Vous êtes déconnecté du fournisseur d\'identité de test.</p>');
}

async function renderError(ctx, out) {
  ctx.type = 'html';
  ctx.body = page('Erreur', `<p class="erreur" role="alert">Une erreur est survenue lors de la connexion.</p>
<dl>${Object.entries(out).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`);
}

// ---- acr: what the account reaches, honouring acr_values and claims={"id_token":{"acr":…}}.
function pickAcr(account, params) {
  const reachable = [].concat(account.acr ?? 'eidas1');
  let request = {};
  try {
    request = JSON.parse(params.claims || '{}')?.id_token?.acr ?? {};
  } catch { /* oidc-provider already rejected a malformed claims parameter */ }
  let wanted = request.values ?? (request.value ? [request.value] : []);
  if (!wanted.length && params.acr_values) wanted = params.acr_values.split(' ');
  const hit = reachable.find((acr) => wanted.includes(acr));
  if (hit) return { acr: hit };
  if (request.essential && wanted.length && (account.unmet_acr ?? UNMET_DEFAULT) !== 'downgrade') {
    return { unmet: wanted };
  }
  return { acr: reachable[0] };
}

// The interaction handler decides on an essential acr it cannot meet (error, or downgrade for
// accounts with "unmet_acr": "downgrade"); without this, oidc-provider would prompt login again.
const policy = interactionPolicy.base();
for (const reason of ['essential_acrs', 'essential_acr']) {
  const check = policy.get('login').checks.get(reason);
  const original = check.check;
  check.check = (ctx) => (ctx.oidc.result?.login ? false : original(ctx));
}

const provider = new Provider(ISSUER, {
  clients,
  jwks: signingKeys(),
  acrValues: ACR_VALUES,
  responseTypes: ['code'],
  clientAuthMethods: ['client_secret_post', 'client_secret_basic'],
  scopes: ['openid'],
  claims: {
    amr: null, openid: ['sub'], email: ['email'], given_name: ['given_name'], usual_name: ['usual_name'],
    uid: ['uid'], siret: ['siret'], idp_id: ['idp_id'], organization_label: ['organization_label'],
    roles: ['roles'], organizational_unit: ['organizational_unit'],
    belonging_population: ['belonging_population'], phone: ['phone_number'], chorusdt: ['chorusdt'],
  },
  async findAccount(ctx, sub) {
    const account = bySub.get(sub);
    // The organisation chosen at the last sign-in, for an agent of several: its siret and label.
    const claims = async () => {
      const current = { ...account, ...(chosen.get(sub) ?? {}) };
      return Object.fromEntries(CLAIM_NAMES.filter((k) => k in current).map((k) => [k, current[k]]));
    };
    return account && { accountId: sub, claims };
  },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    jwtUserinfo: { enabled: true },
    pushedAuthorizationRequests: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
  },
  interactions: { policy, url: (ctx, interaction) => `${PREFIX}/interaction/${interaction.uid}` },
  routes: { authorization: '/authorize', token: '/token', userinfo: '/userinfo', jwks: '/jwks', end_session: '/session/end' },
  pkce: { required: () => false },
  ttl: { AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600, Interaction: 600, Grant: 43200, Session: 43200 },
  cookies: {
    names: { session: 'op_test_session', interaction: 'op_test_interaction', resume: 'op_test_resume' },
    long: { sameSite: 'lax' }, keys: [randomBytes(32).toString('hex')],
  },
  renderError,
});

// oidc-provider answers some logout steps with an auto-submitted English form (JavaScript, with a
// <noscript> button): serve the French one-button page instead, identical with and without JavaScript.
provider.use(async (ctx, next) => {
  await next();
  const route = ctx.oidc?.route;
  if ((route === 'end_session' || route === 'resume') && typeof ctx.body === 'string'
    && ctx.body.includes('<title>Submitting Callback</title>')) {
    const action = /<form method="post" action="([^"]*)"/.exec(ctx.body)?.[1];
    const inputs = [...ctx.body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)]
      .map((m) => [m[1], m[2]]).filter(([name]) => name !== 'logout');
    ctx.body = confirmLogoutPage(action, inputs, route === 'resume');
  }
});

// ---- Interaction routes (plain Node http): login form, abort, consent granted automatically.
function send(res, status, html) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16384) throw new Error('body too large');
  }
  return new URLSearchParams(body);
}

async function grantConsent(req, res, interaction) {
  const { prompt: { details }, params, session, grantId } = interaction;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const saved = await grant.save();
  await provider.interactionFinished(req, res, { consent: grantId ? {} : { grantId: saved } });
}

async function interactionRoute(req, res, uid, action) {
  let interaction;
  try {
    interaction = await provider.interactionDetails(req, res);
  } catch {
    return send(res, 400, page('Session expirée', '<p class="erreur" role="alert">La demande de connexion a expiré ou est inconnue. Recommencez depuis le service.</p>'));
  }
  if (interaction.uid !== uid) return send(res, 400, page('Erreur', '<p class="erreur" role="alert">Demande de connexion inconnue.</p>'));
  if (req.method === 'GET' && !action) {
    if (interaction.prompt.name === 'consent') return grantConsent(req, res, interaction);
    return send(res, 200, loginPage(uid, { email: interaction.params.login_hint }));
  }
  if (req.method !== 'POST' || !action) return send(res, 405, page('Erreur', '<p>Méthode non autorisée.</p>'));
  if (action === '/abort') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: "L'utilisateur a annulé la connexion.",
    }, { mergeWithLastSubmission: false });
  }
  const form = await readForm(req);
  const email = (form.get('email') || '').trim();
  if (!email) return send(res, 400, loginPage(uid, { error: 'Veuillez saisir votre adresse électronique.' }));
  const account = accounts.get(email.toLowerCase());
  if (!account) {
    return send(res, 400, loginPage(uid, { email, error: `Aucun compte de test ne correspond à l'adresse électronique « ${email} ».` }));
  }
  if ((account.organizations ?? []).length > 1) {
    const siret = (form.get('siret') || '').trim();
    const organisation = account.organizations.find((org) => org.siret === siret);
    if (!organisation) {
      return send(res, siret ? 400 : 200, organisationPage(uid, account, siret ? 'Choisissez une de vos organisations.' : ''));
    }
    chosen.set(account.sub, organisation);
  }
  const { acr, unmet } = pickAcr(account, interaction.params);
  if (unmet) {
    return provider.interactionFinished(req, res, {
      error: 'unmet_authentication_requirements',
      error_description: `Le compte ne permet pas d'atteindre le niveau demandé (${unmet.join(', ')}).`,
    }, { mergeWithLastSubmission: false });
  }
  const amr = account.amr ?? (MFA_ACRS.has(acr) ? ['pwd', 'otp', 'mfa'] : ['pwd']);
  return provider.interactionFinished(req, res, {
    login: { accountId: account.sub, acr, amr, remember: true },
  }, { mergeWithLastSubmission: false });
}

// ---- HTTP server: the provider is mounted under /api/v2 (issuer path), as at ProConnect.
const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const { pathname } = new URL(req.url, ISSUER);
    const m = /^\/api\/v2\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(pathname);
    if (m) return await interactionRoute(req, res, m[1], m[2]);
    if (pathname !== PREFIX && !pathname.startsWith(`${PREFIX}/`)) {
      return send(res, 404, page('Introuvable', `<p>Le fournisseur est servi sous ${PREFIX}.</p>`));
    }
    const rest = req.url.slice(req.url.indexOf(PREFIX) + PREFIX.length);
    req.originalUrl = req.url;
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    return await callback(req, res);
  } catch (err) {
    console.error(err);
    if (res.headersSent) res.end();
    else send(res, 500, page('Erreur', '<p class="erreur" role="alert">Erreur interne du fournisseur de test.</p>'));
  }
});

server.on('error', (err) => {
  console.error(`OIDC provider: cannot listen on ${HOST}:${PORT}: ${err.message}`);
  process.exit(1);
});
server.listen(PORT, HOST, () => console.log(`OIDC provider ready on ${ISSUER}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
