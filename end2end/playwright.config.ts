// Playwright for IA Factory: Debian's Chromium (never a downloaded browser), every test with JavaScript on and
// off, against the release server on a fresh SQLite database made for this run.
import { defineConfig } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';

const port = Number(process.env.E2E_PORT ?? 3100);
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 3125);
const repo = path.resolve(__dirname, '..');
// One folder for the run: the workers read it back (the emails the server writes there) from the environment.
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'iaf-e2e-'));
process.env.E2E_DATA_DIR = dataDir;
// The real ClamAV daemon (Debian's clamav-daemon, installed by scripts/test.sh) with a signature database that
// holds only the EICAR test signature: a Unix socket for the server, a TCP port for Playwright to wait on.
const clamdPort = Number(process.env.E2E_CLAMD_PORT ?? 3130);
const clamdDir = path.join(dataDir, 'clamd');
fs.mkdirSync(path.join(clamdDir, 'signatures'), { recursive: true });
fs.copyFileSync(path.join(repo, 'scripts/clamav/eicar.hdb'), path.join(clamdDir, 'signatures', 'eicar.hdb'));
const clamdSocket = path.join(clamdDir, 'clamd.sock');
fs.writeFileSync(path.join(clamdDir, 'clamd.conf'), [
  'Foreground yes',
  `LocalSocket ${clamdSocket}`,
  `TCPSocket ${clamdPort}`,
  'TCPAddr 127.0.0.1',
  `DatabaseDirectory ${path.join(clamdDir, 'signatures')}`,
  `TemporaryDirectory ${clamdDir}`,
  `LogFile ${path.join(clamdDir, 'clamd.log')}`,
  // The scan limits, as in production (docs/exploitation.md).
  fs.readFileSync(path.join(repo, 'scripts/clamav/limits.conf'), 'utf8'),
].join('\n'));

// The OpenID provider configured like ProConnect (scripts/oidc, npm oidc-provider, installed by scripts/test.sh).
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 3140);
const oidcIssuer = `http://127.0.0.1:${oidcPort}/api/v2`;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'fr-FR',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'avec-js', use: { javaScriptEnabled: true } },
    { name: 'sans-js', use: { javaScriptEnabled: false } },
  ],
  webServer: [{
    // The SMTP server the emails are delivered to (Debian's python3-aiosmtpd, installed by scripts/test.sh):
    // what it receives lands in a Maildir that the tests read.
    command: `/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox ${path.join(dataDir, 'courriels')}`,
    port: smtpPort,
    reuseExistingServer: false,
    timeout: 30_000,
  }, {
    command: `/usr/sbin/clamd -c ${path.join(clamdDir, 'clamd.conf')}`,
    port: clamdPort,
    reuseExistingServer: false,
    timeout: 60_000,
  }, {
    command: `node ${path.join(repo, 'scripts/oidc/provider.mjs')}`,
    url: `${oidcIssuer}/.well-known/openid-configuration`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: {
      OIDC_PORT: String(oidcPort),
      OIDC_REDIRECT_URI: `http://127.0.0.1:${port}/connexion/proconnect/retour`,
      OIDC_POST_LOGOUT_REDIRECT_URI: `http://127.0.0.1:${port}/equipe/connexion http://127.0.0.1:${port}/collectivite/connexion`,
    },
  }, {
    command: process.env.IAF_SERVER_BIN ?? path.join(repo, 'target/release/server'),
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: `sqlite://${dataDir}/e2e.db`,
      LEPTOS_SITE_ROOT: path.join(repo, 'target/site'),
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      RUST_LOG: 'warn',
      // The tests sign in with the demonstration accounts, which exist only when asked for.
      IAF_DEMO: '1',
      IAF_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      // Required with SMTP: the links of the emails, the address the browser uses.
      IAF_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Required with SMTP: the key sealing the private links of the emails waiting (a test key).
      IAF_CLE_COURRIELS: '5e1f0c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f',
      IAF_EXPEDITEUR: 'IA Factory <programme@ia-factory.test>',
      IAF_PIECES_DIR: path.join(dataDir, 'pieces'),
      IAF_CLAMAV: clamdSocket,
      // The whole suite files cases from one address in a few minutes.
      IAF_LIMITE_DEPOTS_PAR_MINUTE: '300',
      // ProConnect: the test provider's issuer and client (scripts/oidc/README.md).
      IAF_PROCONNECT_ISSUER: oidcIssuer,
      IAF_PROCONNECT_CLIENT_ID: 'iaf-test',
      IAF_PROCONNECT_CLIENT_SECRET: 'iaf-test-secret-0123456789abcdefghijklmnop',
    },
  }],
});
