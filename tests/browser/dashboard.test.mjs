// The district dashboard in a real browser (Debian's Chromium, headless, driven by
// playwright-core), against the real sotay-server and real `sotay` devices on
// loopback. What a district officer does: sign in, find a child by a name typed
// without diacritics, read the record and its history, settle a conflict two
// workers made and see it gone from both phones after they sync, download the CSV
// for Excel, check a report figure against the one a device computes. And what a
// worker of another commune must not do: open that child's record by its URL.
// Screenshots of every main page go to $SOTAY_ARTIFACTS for a person to look at.
import assert from 'node:assert/strict';
import { exampleChild, startDistrict } from './district.mjs';

const d = await startDistrict();
const { base, device, shot, signIn } = d;
try {
  d.phone('lan');
  d.phone('hung');

  // Lan records three children; Hùng gets them. Two are from poor households.
  const children = [
    exampleChild(d.source, { full_name: 'Nguyễn Thị Ánh', household_poverty: 'poor' }),
    exampleChild(d.source, { full_name: 'Lò Văn Páo', sex: 'male', household_poverty: 'near_poor' }),
    exampleChild(d.source, { full_name: 'Hà Thị Mai', household_poverty: 'neither' }),
  ];
  const ids = children.map((answers) => d.newRecord('lan', 'child_profile', answers));
  const anhId = ids[0];
  device('lan', 'sync');
  device('hung', 'sync');
  // Offline, both change the same answer of Ánh's record: one conflict.
  device('lan', 'edit', anhId.slice(-8), 'village=Bản Trên');
  device('hung', 'edit', anhId.slice(-8), 'village=Bản Dưới');
  device('lan', 'sync');
  device('hung', 'sync');
  device('lan', 'sync');
  assert.match(device('lan', 'conflicts'), /Bản Trên|Bản Dưới/, 'the devices see the conflict first');

  // ---- No session: the sign-in page ----
  const anon = await d.anonymous();
  await anon.goto(`${base}/records`);
  assert.match(anon.url(), /\/login\?next=%2Frecords$/);
  await shot(anon, '01-login');

  // ---- District staff find the child without diacritics ----
  const staff = await signIn('huyen');
  await staff.fill('#q', 'nguyen thi anh');
  await Promise.all([staff.waitForNavigation(), staff.click('#filters button[type=submit]')]);
  assert.ok(!staff.url().includes('anh'), 'the name searched for stays out of the URL');
  const found = await staff.locator('#records tbody tr').allInnerTexts();
  assert.equal(found.length, 1, `one match, got ${found.join(' | ')}`);
  assert.match(found[0], /Nguyễn Thị Ánh/);
  await staff.fill('#q', '');
  await Promise.all([staff.waitForNavigation(), staff.click('#filters button[type=submit]')]);
  assert.equal(await staff.locator('#records tbody tr').count(), 3);
  await shot(staff, '02-records');

  // ---- The record and its history ----
  await staff.goto(`${base}/records/${anhId}`);
  assert.match(await staff.locator('h1').innerText(), /Nguyễn Thị Ánh/);
  assert.match(await staff.locator('#answers').innerText(), /Nữ/);
  const history = await staff.locator('#history tbody tr').allInnerTexts();
  assert.ok(history.length >= 3, `creation and both edits in the history, got ${history.length}`);
  assert.ok(history.some((t) => /Bản Trên/.test(t)) && history.some((t) => /Bản Dưới/.test(t)));
  assert.ok(history.some((t) => /lan/.test(t)) && history.some((t) => /hung/.test(t)), 'who changed it');
  // Lan and Hùng changed it offline, neither seeing the other: both marked parallel.
  assert.equal(await staff.locator('#history tr.parallel span.badge.parallel').count(), 2, 'two parallel updates');
  await shot(staff, '03-record');

  // ---- The conflict, settled in the dashboard ----
  await staff.goto(`${base}/conflicts`);
  const card = staff.locator(`section.conflict-card[data-record="${anhId}"][data-field="village"]`);
  assert.equal(await card.count(), 1);
  const sides = await card.locator('label.side').allInnerTexts();
  assert.ok(sides.some((t) => /Bản Trên/.test(t) && /lan/.test(t)), 'Lan’s value, by Lan');
  assert.ok(sides.some((t) => /Bản Dưới/.test(t) && /hung/.test(t)), 'Hùng’s value, by Hùng');
  await shot(staff, '04-conflicts');
  await card.locator('label.side', { hasText: 'Bản Dưới' }).locator('input[type=radio]').check();
  await Promise.all([staff.waitForNavigation(), card.locator('button[type=submit]').click()]);
  await staff.locator('#resolved').waitFor();
  assert.match(await staff.locator('#count').innerText(), /^0 /);
  // The devices pull the decision: no conflict left on either, the chosen value shown.
  for (const who of ['lan', 'hung']) {
    device(who, 'sync');
    assert.match(device(who, 'conflicts'), /Không có xung đột/, `${who} has no conflict left`);
    assert.match(device(who, 'show', anhId.slice(-8)), /Bản Dưới/);
  }
  await staff.goto(`${base}/records/${anhId}`);
  assert.equal(await staff.locator('#answers tr.conflict').count(), 0, 'no conflict left on the record page');
  assert.match(await staff.locator('#answers tr[data-field="village"]').innerText(), /Bản Dưới/);
  assert.match(await staff.locator('#history').innerText(), /giải quyết xung đột/, 'the resolution is in the history');

  // ---- Export: the CSV's bytes as Excel reads them ----
  await staff.goto(`${base}/export`);
  await shot(staff, '05-export');
  const href = await staff.locator('a[data-export="child_profile.csv"]').getAttribute('href');
  const csv = await staff.request.get(new URL(href, base).toString());
  assert.equal(csv.status(), 200);
  const bytes = await csv.body();
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark first');
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1 + children.length, 'a header and one row per child');
  assert.match(lines[0], /Họ và tên của trẻ \(full_name\)/);
  for (const c of children) assert.ok(text.includes(c.full_name), `${c.full_name} in the CSV`);
  assert.ok(text.includes('Bản Dưới'), 'the decided value is exported');

  // ---- The report: the dashboard's figure is the device's ----
  const year = String(new Date().getFullYear());
  const label = 'Trẻ em thuộc hộ nghèo, hộ cận nghèo';
  const report = device('lan', 'report', '--year', year);
  const line = report.split('\n').find((l) => l.trim().startsWith(label + ':'));
  assert.ok(line, `the device's report has "${label}":\n${report}`);
  const coreFigure = line.split(':').pop().trim();
  assert.equal(coreFigure, '2 / 3 (66,7 %)', 'two of three children are poor or near-poor, by hand');
  await staff.goto(`${base}/reports?year=${year}`);
  const cell = staff.locator('section[data-form="child_profile"] tr[data-indicator="poor_or_near_poor"] td[data-area="total"]');
  assert.equal((await cell.innerText()).trim(), coreFigure);
  await shot(staff, '06-reports');
  // The year's workbook for the province, from the same page.
  const xlsxHref = await staff.locator('a[data-report-file="xlsx"]').getAttribute('href');
  const xlsx = await staff.request.get(new URL(xlsxHref, base).toString());
  assert.equal(xlsx.status(), 200);
  assert.match(xlsx.headers()['content-disposition'], /bao-cao-tre-em-\d{4}-148\.xlsx/);
  assert.equal((await xlsx.body()).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX workbook (a zip file)');
  await staff.goto(`${base}/cases`);
  assert.match(await staff.locator('#fresh').innerText(), /lần đăng nhập đầu tiên|Không/);
  await shot(staff, '06-cases');

  // ---- Another commune's worker cannot reach the record by its URL ----
  const outsider = await signIn('xa-manduc');
  const denied = await outsider.goto(`${base}/records/${anhId}`);
  assert.equal(denied.status(), 404);
  assert.ok(!(await outsider.content()).includes('Ánh'), 'not even the name');

  // ---- The administrator: devices and the verified audit log ----
  const adminPage = await signIn('quantri');
  await adminPage.goto(`${base}/admin/devices`);
  assert.equal(await adminPage.locator('#devices tbody tr').count(), 2);
  await shot(adminPage, '07-devices');
  await adminPage.goto(`${base}/audit`);
  assert.match(await adminPage.locator('#verdict').innerText(), /nguyên vẹn/);
  const audit = await adminPage.locator('#audit').innerText();
  for (const action of ['record.view', 'conflict.resolve', 'export.csv', 'login']) {
    assert.ok(audit.includes(action), `${action} is in the audit log`);
  }
  await shot(adminPage, '08-audit');
  console.log(`browser test passed; screenshots in ${d.artifacts}`);
} finally {
  await d.close();
}
