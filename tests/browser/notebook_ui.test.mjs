// `sotay ui` in a real browser (Debian's Chromium, playwright-core): the notebook a
// commune worker uses without a terminal, served by the real `sotay` on loopback over
// a real encrypted store made and enrolled by the real `sotay` (district.mjs). What
// the worker does: unlock, fill a child's profile with a skip-logic branch and a
// refused answer shown next to its field, close the window mid-form and resume the
// draft, find the child without diacritics (with Enter, and as the worker types) and
// by an age filter, edit it, add two home visits and remove
// one, switch to English, sync to the real server, settle a conflict made with a
// second device by picking a side (and see it settled there). What nobody else may do: open it
// with a wrong token, post to it from another page, reach it by another host name.
// Screenshots at 1366×768 and 360×740 go to $SOTAY_ARTIFACTS.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { passphrase, startDistrict } from './district.mjs';

const d = await startDistrict();
let ui = null;
let browser = null;
try {
  d.phone('lan');
  const home = path.join(d.work, 'lan');

  // ---- sotay ui prints its address, with the token, on a line of its own ----
  const env = { ...process.env, SOTAY_HOME: home };
  delete env.SOTAY_PASSPHRASE;  // the page asks it
  ui = spawn(process.env.SOTAY_BIN, ['ui', '--no-browser'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let uiErr = '';
  ui.stderr.on('data', (b) => { uiErr += b; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    ui.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/(http:\/\/127\.0\.0\.1:(\d+)\/\?t=[0-9a-f]{64})\n/);
      if (m) resolve(m[1]);
    });
    ui.on('exit', (code) => reject(new Error(`sotay ui exited with ${code}: ${uiErr}`)));
  });
  const origin = new URL(url).origin;
  const port = Number(new URL(url).port);

  // ---- Refusals, over plain HTTP with the headers a browser would not let a page set ----
  function request(method, pathname, headers = {}, body = '') {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path: pathname,
                                 headers: { 'Content-Length': Buffer.byteLength(body), ...headers } }, (res) => {
        let text = '';
        res.on('data', (b) => { text += b; });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const token = new URL(url).searchParams.get('t');
  const wrongToken = await request('GET', `/?t=${'0'.repeat(64)}`);
  assert.equal(wrongToken.status, 403, 'a wrong token is refused');
  assert.match(wrongToken.text, /token/);
  assert.equal((await request('GET', '/register')).status, 403, 'no token, no cookie: refused');
  const rebound = await request('GET', `/?t=${token}`, { Host: `evil.example:${port}` });
  assert.equal(rebound.status, 403, 'a page of evil.example rebound to 127.0.0.1 is refused, even with the token');
  const exchanged = await request('GET', `/?t=${token}`);
  assert.equal(exchanged.status, 303);
  assert.equal(exchanged.headers.location, '/', 'the token leaves the address');
  const cookie = exchanged.headers['set-cookie'].find((c) => c.startsWith('sotay_ui='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const session = cookie.split(';')[0];
  const page0 = await request('GET', '/', { Cookie: session });
  assert.equal(page0.status, 200);
  assert.equal(page0.headers['cache-control'], 'no-store');
  assert.equal(page0.headers['x-frame-options'], 'DENY');
  assert.match(page0.headers['content-security-policy'], /default-src 'none'/);
  assert.match(page0.headers['content-security-policy'], /script-src 'self'/, 'only the server’s own script');
  assert.doesNotMatch(page0.headers['content-security-policy'], /unsafe-inline|unsafe-eval/);
  const form = 'passphrase=' + encodeURIComponent(passphrase);
  const foreign = await request('POST', '/unlock', { Cookie: session, Origin: 'http://evil.example',
                                                     'Content-Type': 'application/x-www-form-urlencoded' }, form);
  assert.equal(foreign.status, 403, 'a POST from another page is refused, even with the cookie');

  // ---- The worker opens the link and unlocks ----
  browser = await chromium.launch({ executablePath: process.env.SOTAY_CHROMIUM || '/usr/bin/chromium',
                                    args: ['--no-sandbox'] });
  const office = { width: 1366, height: 768 };
  let ctx = await browser.newContext({ viewport: office });
  let page = await ctx.newPage();
  await page.goto(url);
  assert.equal(page.url(), `${origin}/`, 'redirected to the address without the token');
  assert.match(await page.locator('h1').innerText(), /khóa/);
  await page.fill('#passphrase', 'not the passphrase');
  await Promise.all([page.waitForNavigation(), page.press('#passphrase', 'Enter')]);
  assert.match(await page.locator('#unlock-issue').innerText(), /Sai mật khẩu/, 'a wrong passphrase is said');
  await page.fill('#passphrase', passphrase);
  await Promise.all([page.waitForNavigation(), page.press('#passphrase', 'Enter')]);
  await page.locator('#drafts').waitFor();
  await d.shot(page, 'ui-01-home-1366');

  // ---- A child's profile, step by step ----
  // The field the step asks; a page that is no step says what it is instead.
  const stepField = async () => {
    if (await page.locator('#step').count() === 0) {
      assert.fail(`not a form step: ${page.url()} ${await page.locator('main').innerText()}`);
    }
    return page.locator('#step').getAttribute('data-field');
  };
  async function next() {
    await Promise.all([page.waitForNavigation(), page.click('button[value=next]')]);
  }
  // Answers one step: a choice by its name, or typed text; then Next.
  async function answer(field, value) {
    assert.equal(await stepField(), field, `the step asks ${field}`);
    if (value !== undefined) {
      if (await page.locator('input[name=a][type=radio], input[name=a][type=checkbox]').count() > 0) {
        await page.check(`input[name=a][value="${value}"]`);
      } else {
        await page.fill('#a', value);
      }
    }
    await next();
  }
  await Promise.all([page.waitForNavigation(), page.click('#forms form:has(input[value=child_profile]) button')]);
  await answer('full_name', 'Nguyễn Thị Ánh');
  await answer('sex', 'female');
  // A birth date in the future: refused by the form's own constraint, next to the field.
  await answer('dob', '21/03/2099');
  assert.equal(await stepField(), 'dob', 'the refused answer keeps the step');
  assert.ok((await page.locator('#issue').innerText()).length > 0, 'the reason is next to the field');
  assert.equal(await page.locator('#a').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.inputValue('#a'), '21/03/2099', 'what was typed stays to correct');
  await d.shot(page, 'ui-02-refused-1366');
  await answer('dob', '21/03/2015');
  // Skip logic: "other" brings its own question; a child not registered at birth has
  // no personal number asked.
  await answer('ethnicity', 'other');
  await answer('ethnicity_other', 'Pu Péo');
  await answer('birth_registered', 'no');
  assert.equal(await stepField(), 'village', 'no personal number is asked of an unregistered child');
  await answer('village', 'Bản Trên');
  const resumeAt = await stepField();

  // ---- The window is closed mid-form; the draft is there when it opens again ----
  await ctx.close();
  ctx = await browser.newContext({ viewport: office });
  page = await ctx.newPage();
  await page.goto(url);
  const drafts = page.locator('#drafts a');
  assert.equal(await drafts.count(), 1, 'the unfinished profile waits as a draft');
  await Promise.all([page.waitForNavigation(), drafts.first().click()]);
  assert.equal(await stepField(), resumeAt, 'resumed where the window was closed');
  // Back shows the answer given before.
  await Promise.all([page.waitForNavigation(), page.click('button[value=back]')]);
  assert.equal(await page.inputValue('#a'), 'Bản Trên');
  await next();

  // The rest: the planned answers, and the first choice where a required one is refused.
  const plan = { living_with: 'both_parents', caregiver_name: 'Nguyễn Văn Bình', household_poverty: 'poor',
                 in_school: 'yes', health_insurance: 'yes', disability: 'no' };
  for (let steps = 0; steps < 60 && await page.locator('#review').count() === 0; ++steps) {
    const field = await stepField();
    if (field in plan) {
      await answer(field, plan[field]);
      continue;
    }
    await next();
    if (await page.locator('#issue').count() > 0 && await stepField() === field) {
      await page.locator('input[name=a]').first().check();  // a required choice: the first on offer
      await next();
    }
  }
  await page.locator('#review').waitFor();
  assert.match(await page.locator('#review').innerText(), /Pu Péo/);
  await Promise.all([page.waitForNavigation(), page.click('button[value=save]')]);
  assert.match(page.url(), /\/record\/[0-9a-f-]{36}$/, `saved: ${page.url()}`);
  const childId = page.url().split('/').pop();
  assert.match(await page.locator('h1').innerText(), /Nguyễn Thị Ánh/);
  assert.equal(await page.locator('#answers dd[data-field=dob]').innerText(), '21/03/2015');
  assert.equal(await page.locator('#drafts').count(), 0);

  // ---- Found without diacritics ----
  await page.goto(`${origin}/register`);
  await page.fill('#q', 'nguyen thi anh');
  await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
  const rows = await page.locator('#children tbody tr').allInnerTexts();
  assert.equal(rows.length, 1, `one child found, got ${rows.join(' | ')}`);
  assert.match(rows[0], /Nguyễn Thị Ánh/);
  assert.doesNotMatch(page.url(), /nguyen|thi|anh/i, 'the name searched stays out of the address (and the history)');
  await page.fill('#q', 'nguyen thi hanh');
  await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
  assert.equal(await page.locator('#children tbody tr').count(), 0, 'another name is not her');

  // ---- Search as you type (the page's one script, /ui.js): no Enter, no page load ----
  await page.goto(`${origin}/register`);
  const liveRows = () => page.evaluate(() => document.querySelectorAll('#children tbody tr').length);
  await page.locator('#q').pressSequentially('nguyen thi a', { delay: 20 });
  const shown = (name, value) => page.waitForFunction(([n, v]) =>
    new URLSearchParams(document.querySelector('#search').dataset.shown || '').get(n) === v, [name, value]);
  await shown('q', 'nguyen thi a');
  assert.equal(await liveRows(), 1, 'typed without diacritics, she is found as the worker types');
  assert.match(await page.locator('#children tbody').innerText(), /Nguyễn Thị Ánh/);
  assert.equal(await page.inputValue('#q'), 'nguyen thi a', 'nothing typed was lost');
  // A filter narrows too: born in 2015, she is in 6–11, not in 16 and over.
  await page.selectOption('#age', '16+');
  await shown('age', '16+');
  assert.equal(await liveRows(), 0, 'no one of 16 and over is her');
  await page.selectOption('#age', '6-11');
  await shown('age', '6-11');
  assert.equal(await liveRows(), 1, 'she is 6 to 11');

  // ---- Edited: every question again with its answer, one changed ----
  async function editVillage(from, to) {
    await page.goto(`${origin}/record/${childId}`);
    await Promise.all([page.waitForNavigation(), page.locator('main button', { hasText: 'Sửa' }).click()]);
    for (let steps = 0; steps < 60 && await page.locator('#review').count() === 0; ++steps) {
      if (await stepField() === 'village') {
        assert.equal(await page.inputValue('#a'), from, 'the edit offers the saved answer');
        await page.fill('#a', to);
      }
      await next();
      assert.equal(await page.locator('#issue').count(), 0, 'the saved answers pass again');
    }
    await Promise.all([page.waitForNavigation(), page.click('button[value=save]')]);
    assert.equal(page.url(), `${origin}/record/${childId}`);
  }
  await editVillage('Bản Trên', 'Bản Dưới');
  assert.equal(await page.locator('#answers dd[data-field=village]').innerText(), 'Bản Dưới');
  assert.match(await page.locator('#history').innerText(), /Bản Trên → Bản Dưới/);
  await d.shot(page, 'ui-03-record-1366');
  // The command line reads the same notebook.
  assert.match(d.device('lan', 'show', childId.slice(-8)), /Bản Dưới/);


  // ---- Two home visits added, one removed ----
  const visits = page.locator('#linked li');
  for (const day of ['02/03/2025', '09/03/2025']) {
    await Promise.all([page.waitForNavigation(), page.locator('main button', { hasText: 'Thêm' }).click()]);
    await answer('visit_date', day);
    for (let steps = 0; steps < 20 && await page.locator('#review').count() === 0; ++steps) {
      const field = await stepField();
      await next();
      if (await page.locator('#issue').count() > 0 && await stepField() === field) {
        await page.locator('input[name=a]').first().check();
        await next();
      }
    }
    await Promise.all([page.waitForNavigation(), page.click('button[value=save]')]);
    assert.equal(page.url(), `${origin}/record/${childId}`, 'back on the child after saving a visit');
  }
  assert.equal(await visits.count(), 2, 'two home visits linked');
  assert.match(await visits.first().innerText(), /02\/03\/2025|09\/03\/2025/);
  await Promise.all([page.waitForNavigation(), visits.first().locator('button').click()]);
  assert.equal(await visits.count(), 1, 'one removed');

  // ---- English by a switch, kept ----
  await Promise.all([page.waitForNavigation(), page.click('header a.lang')]);
  assert.match(await page.locator('#last-sync').innerText(), /Last successful sync: never/);
  await page.goto(`${origin}/register`);
  assert.match(await page.locator('#count').innerText(), /children/, 'the language is kept');
  await page.goto(`${origin}/register?lang=vi`);

  // ---- Sync to the real server; a conflict made with a second device, settled by picking ----
  async function syncNow() {
    await page.goto(`${origin}/sync`);
    await Promise.all([page.waitForNavigation(), page.click('main button')]);
    return page.locator('#outcome').innerText();
  }
  assert.match(await syncNow(), /^Đã gửi [1-9]\d* thay đổi/, 'sent');
  assert.doesNotMatch(await page.locator('#last-sync').innerText(), /chưa lần nào/, 'the last sync is shown');
  assert.match(await page.locator('#waiting').innerText(), /^0$/);
  d.phone('hung');
  d.device('hung', 'sync');
  d.device('hung', 'edit', childId.slice(-8), 'village=Bản Giữa');
  d.device('hung', 'sync');
  await editVillage('Bản Dưới', 'Bản Cuối');
  assert.match(await syncNow(), /xung đột mới: 1/);
  await page.goto(`${origin}/conflicts`);
  const card = page.locator(`section.conflict[data-record="${childId}"][data-field="village"]`);
  const sides = await card.locator('label.side').allInnerTexts();
  assert.equal(sides.length, 2, `two sides, got ${sides.join(' | ')}`);
  assert.ok(sides.some((t) => /Bản Giữa/.test(t) && /hung/.test(t)), 'Hùng’s value, by Hùng');
  assert.ok(sides.some((t) => /Bản Cuối/.test(t) && /lan/.test(t)), 'Lan’s value, by Lan');
  await d.shot(page, 'ui-06-conflict-1366');
  await card.locator('label.side', { hasText: 'Bản Giữa' }).locator('input').check();
  await Promise.all([page.waitForNavigation(), card.locator('button').click()]);
  assert.match(await page.locator('#count').innerText(), /^0 /);
  await syncNow();
  d.device('hung', 'sync');
  assert.match(d.device('hung', 'conflicts'), /Không có xung đột/, 'settled on the other device too');
  assert.match(d.device('hung', 'show', childId.slice(-8)), /Bản Giữa/);

  // ---- A phone's width and a form step there ----
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const small = await phone.newPage();
  await small.goto(url);
  await small.goto(`${origin}/record/${childId}`);
  const width = await small.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `nothing wider than the phone's screen (${width} px)`);
  await d.shot(small, 'ui-04-record-360');
  await Promise.all([small.waitForNavigation(), small.locator('main button', { hasText: 'Thêm' }).click()]);
  await d.shot(small, 'ui-05-visit-step-360');
  await small.emulateMedia({ media: 'print' });
  assert.equal(await small.locator('header').isVisible(), false, 'the printed record has no navigation');
} finally {
  if (browser) await browser.close();
  if (ui) ui.kill('SIGTERM');
  await d.close();
}
