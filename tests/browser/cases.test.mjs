// What needs doing now, in a real browser (issue 15): the cases page of a district
// officer lists an unassessed abuse report made 10 hours ago as due soon, one made
// 20 hours ago as overdue with the hours late, and a high-risk child whose next home
// visit has passed, each with the worker who made it and their phone; the case's
// page carries its deadline banner; a conflict's "another value" that the form
// refuses comes back with the typed text in its box; and on a 360 px phone the
// header is one row with a menu and no page scrolls sideways.
// Screenshots: cases-1366.png, cases-360.png, record-banner-360.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { exampleChild, startDistrict } from './district.mjs';

const pad = (n) => String(n).padStart(2, '0');
// The phone's local "YYYY-MM-DDTHH:MM" (the server reads the same machine's zone).
const local = (ms) => {
  const t = new Date(ms);
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}`;
};
const day = (ms) => local(ms).slice(0, 10);
const hour = 3600 * 1000;

const d = await startDistrict();
const { base, device, shot, signIn } = d;
try {
  d.admin('set-user', '--user', 'lan', '--name', 'Lò Thị Lan', '--phone', '0912 345 678');

  // Two reports Lan took, neither assessed yet: the report time is an answer.
  const report = (name, hoursAgo) => d.newRecord('lan', 'abuse_case', {
    report_datetime: local(Date.now() - hoursAgo * hour), reporter_type: 'neighbour', report_channel: 'phone',
    report_summary: 'Hàng xóm báo tin trẻ bị bỏ mặc', child_name: name, child_sex: 'female', child_age_estimate: 9,
    village: 'Bản Phố', harm_situation: 'at_risk', harm_types: ['neglect'], suspected_perpetrator: 'parent',
    perpetrator_in_household: 'yes', case_status: 'open',
  });
  report('Hoàng Thị Mười', 10);
  const lateId = report('Hoàng Văn Hai Mươi', 20);
  // A child whose last home visit found a high risk, the next visit 3 days overdue.
  const pao = d.newRecord('lan', 'child_profile', exampleChild(d.source, { full_name: 'Lò Văn Páo', sex: 'male' }));
  const visit = path.join(d.work, 'visit.json');
  fs.writeFileSync(visit, JSON.stringify({
    visit_date: day(Date.now() - 10 * 24 * hour), visit_purpose: 'routine', child_seen: 'yes', risk_level: 'high',
    next_visit_date: day(Date.now() - 3 * 24 * hour),
  }));
  device('lan', 'new', 'child_profile.home_visits', '--parent', pao, '--answers', visit);
  device('lan', 'sync');

  // ---- The cases page at 1366 px ----
  const staff = await signIn('huyen');
  await staff.goto(`${base}/cases`);
  const soon = await staff.locator('#due-soon').innerText();
  assert.match(soon, /Hoàng Thị Mười/);
  assert.match(soon, /còn [12] giờ/, soon);
  assert.match(soon, /Lò Thị Lan/);
  assert.match(soon, /0912 345 678/);
  const overdue = await staff.locator('#overdue').innerText();
  assert.match(overdue, /Hoàng Văn Hai Mươi/);
  assert.match(overdue, /quá hạn 8 giờ/, overdue);
  assert.match(overdue, /Hạn đánh giá ban đầu/);
  assert.doesNotMatch(overdue, /Hoàng Thị Mười/);
  const visits = await staff.locator('#visits').innerText();
  assert.match(visits, /Lò Văn Páo/);
  assert.match(visits, /quá hạn 3 ngày/, visits);
  assert.match(visits, /Lò Thị Lan/);
  await shot(staff, 'cases-1366');

  // ---- A conflict whose typed value the form refuses keeps the text ----
  d.phone('hung');
  device('hung', 'sync');
  device('lan', 'edit', pao.slice(-8), 'dob=2015-03-22');
  device('hung', 'edit', pao.slice(-8), 'dob=2015-03-23');
  device('lan', 'sync');
  device('hung', 'sync');
  await staff.goto(`${base}/conflicts`);
  const card = staff.locator(`section.conflict-card[data-record="${pao}"][data-field="dob"]`);
  assert.equal(await card.count(), 1);
  await card.locator('label.other input[type=radio]').check();
  await card.locator('input[name=other]').fill('2099-01-01');
  await Promise.all([staff.waitForNavigation(), card.locator('button[type=submit]').click()]);
  const again = staff.locator(`section.conflict-card[data-record="${pao}"][data-field="dob"]`);
  assert.equal(await again.locator('input[name=other]').inputValue(), '2099-01-01', 'the typed value is kept');
  assert.ok(await again.locator('label.other input[type=radio]').isChecked(), '"another value" still chosen');
  assert.match(await again.locator('[role=alert]').innerText(), /Ngày sinh/);

  // ---- A phone: 360 px wide ----
  const phone = await signIn('huyen', { width: 360, height: 740 });
  const noSideways = async (where) => {
    await phone.goto(`${base}${where}`);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${where} scrolls sideways at 360 px: ${width}`);
  };
  for (const where of ['/cases', '/records', '/reports', `/records/${pao}`, `/records/${lateId}`]) await noSideways(where);
  await phone.goto(`${base}/cases`);
  const header = await phone.locator('header.top').boundingBox();
  assert.ok(header.height < 60, `the header is one row at 360 px: ${header.height}px`);
  assert.ok(!(await phone.locator('header.top nav.wide').isVisible()), 'the menu is folded');
  await phone.locator('header.top details.menu summary').click();
  assert.ok(await phone.locator('header.top details.menu nav a[href="/records"]').isVisible(), 'the menu opens');
  await phone.locator('header.top details.menu summary').click();
  await shot(phone, 'cases-360');
  await phone.goto(`${base}/records/${lateId}`);
  assert.match(await phone.locator('#deadline').innerText(), /Hạn đánh giá ban đầu: .* — quá hạn 8 giờ/);
  await shot(phone, 'record-banner-360');
} catch (e) {
  console.error(d.serverLog());
  throw e;
} finally {
  await d.close();
}
