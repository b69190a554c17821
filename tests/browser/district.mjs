// A district for browser tests: the real sotay-server on loopback with the sample
// areas and the form pack, its users, enrolled `sotay` devices, and Debian's
// Chromium. Each *.test.mjs starts one, so the tests stay independent.
//
//   const d = await startDistrict();
//   try { ...d.device('lan', 'new', ...); const page = await d.signIn('huyen'); ... }
//   finally { await d.close(); }
//
// Users: workers lan and hung (commune 01234), xa-manduc (01255, with a password),
// district officer huyen (district 148), administrator quantri; every password is
// `password`. Screenshots go to $SOTAY_ARTIFACTS.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const password = 'mật khẩu thử nghiệm 2026';
export const passphrase = 'browser test passphrase (tests only)';

export async function startDistrict() {
  const server = process.env.SOTAY_SERVER_BIN;
  const sotay = process.env.SOTAY_BIN;
  const source = process.env.SOTAY_SOURCE_DIR;
  const artifacts = process.env.SOTAY_ARTIFACTS || path.join(os.tmpdir(), 'sotay-browser-artifacts');
  const browserPath = process.env.SOTAY_CHROMIUM || '/usr/bin/chromium';
  assert.ok(server && sotay && source, 'SOTAY_SERVER_BIN, SOTAY_BIN and SOTAY_SOURCE_DIR must be set');
  fs.mkdirSync(artifacts, { recursive: true });

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sotay-browser-'));
  // SOTAY_TEST_POSTGRES (ctest's pg.browser.* tests): a PostgreSQL schema of this
  // test's own instead of a SQLite file, and a files folder for `serve --files`.
  const pgBase = process.env.SOTAY_TEST_POSTGRES || '';
  let db = path.join(work, 'server.db');
  const serveExtra = [];
  if (pgBase) {
    const schema = `b${process.pid}_${Date.now()}`;
    execFileSync('psql', [pgBase, '-qc', `CREATE SCHEMA ${schema}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    db = `${pgBase}&options=-csearch_path%3D${schema}`;
    serveExtra.push('--files', path.join(work, 'files'));
  }

  function admin(...args) {
    return execFileSync(server, ['admin', ...args, '--db', db], {
      env: { ...process.env, SOTAY_TEST_PW: password }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  function device(who, ...args) {
    return execFileSync(sotay, args, {
      env: { ...process.env, SOTAY_HOME: path.join(work, who), SOTAY_PASSPHRASE: passphrase },
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
    });
  }

  admin('init', '--areas', path.join(source, 'sync-server/areas-sample.csv'), '--forms', path.join(source, 'schemas'));
  admin('add-user', '--id', 'lan', '--role', 'worker', '--area', '01234');
  admin('add-user', '--id', 'hung', '--role', 'worker', '--area', '01234');
  admin('add-user', '--id', 'huyen', '--role', 'district', '--area', '148', '--password-env', 'SOTAY_TEST_PW');
  admin('add-user', '--id', 'xa-manduc', '--role', 'worker', '--area', '01255', '--password-env', 'SOTAY_TEST_PW');
  admin('add-user', '--id', 'quantri', '--role', 'admin', '--password-env', 'SOTAY_TEST_PW');

  const proc = spawn(server, ['serve', '--db', db, '--port', '0', ...serveExtra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let serverLog = '';
  proc.stderr.on('data', (d) => { serverLog += d; });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`sotay-server exited with ${code}: ${serverLog}`)));
    setTimeout(() => reject(new Error('sotay-server did not start')), 15000);
  });

  const enrolled = new Set();
  // A worker's phone: created and enrolled on first use.
  function phone(who) {
    if (enrolled.has(who)) return;
    device(who, 'init');
    const code = admin('enroll-code', '--user', who).trim().split(/\s+/)[0];
    device(who, 'enroll', base, code);
    enrolled.add(who);
  }

  let browser = null;
  async function signIn(user, viewport = { width: 1366, height: 900 }) {
    if (!browser) browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
    const page = await (await browser.newContext({ viewport })).newPage();
    await page.goto(`${base}/login`);
    await page.fill('#user', user);
    await page.fill('#password', password);
    await Promise.all([page.waitForNavigation(), page.click('form.login button')]);
    assert.ok(!page.url().includes('/login'), `${user} signed in: ${page.url()} ${await page.locator('main').innerText()}`);
    return page;
  }
  async function anonymous() {
    if (!browser) browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
    return (await browser.newContext()).newPage();
  }
  const shot = async (page, name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

  // Records `rows` (answer objects of `form`) on `who`'s phone in one import, then
  // syncs; returns the shell's import output.
  function importRecords(who, form, rows) {
    phone(who);
    const file = path.join(work, `import-${who}-${form}-${Date.now()}.jsonl`);
    fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const out = device(who, 'import', form, file, '--allow-duplicates');
    device(who, 'sync');
    return out;
  }
  // Makes one record from an answers object; returns its full id.
  function newRecord(who, form, answers) {
    phone(who);
    const file = path.join(work, `answers-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(answers));
    return device(who, 'new', form, '--answers', file).trim().split(/\s+/).pop();
  }

  async function close() {
    if (browser) await browser.close();
    proc.kill('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  }

  return { base, work, source, artifacts, admin, device, phone, signIn, anonymous, shot, importRecords, newRecord, close,
           serverLog: () => serverLog };
}

// The example child's answers (examples/child_nguyen.json) with `changes` on top.
export function exampleChild(source, changes = {}) {
  const example = JSON.parse(fs.readFileSync(path.join(source, 'examples/child_nguyen.json'), 'utf8'));
  return { ...example, ...changes };
}
