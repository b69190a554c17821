// The record list as a district officer uses it with a district's worth of children
// (issue 15, "The dashboard, tried in Chromium with 600 children"): a name search
// that finds "Nguyễn Thị Ánh" and never "Khánh", other answers only when asked and
// saying why, A–Z by given name, a filter, page 2, the filtered list downloaded for
// Excel; at 1366 px and on a 360 px phone (records-1366.png, records-360.png).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { exampleChild, startDistrict } from './district.mjs';

const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Lò', 'Hà', 'Vàng', 'Đặng', 'Bùi', 'Giàng', 'Sùng'];
const girls = ['Mai', 'Hoa', 'Lan', 'Hương', 'Linh', 'Thảo', 'Dung', 'Nga', 'Yến', 'Dợ', 'Chi', 'Vy', 'Ngọc Mai'];
const boys = ['Páo', 'Tú', 'Minh', 'Hùng', 'Dũng', 'Nam', 'Sơn', 'Phúc', 'Quân', 'Bình', 'Đức', 'Long', 'Văn Chiến'];
const villages = ['Bản Phố', 'Nà Sản', 'Bản Mới', 'Co Mạ', 'Huổi Lếch'];
const special = ['Nguyễn Thị Ánh', 'Nguyễn Thị Anh Đào', 'Lê Thị Khánh', 'Trần Thị Thanh', 'Hoàng Thị Hạnh'];

// 600 children: varied names, half of the caregivers "Nguyễn Thị …".
const children = [];
for (let i = 0; i < 600; i++) {
  const girl = i % 2 === 0;
  const family = families[(i * 7) % families.length];
  const given = girl ? girls[(i >> 1) % girls.length] : boys[(i >> 1) % boys.length];
  const name = i < special.length ? special[i] : `${family} ${girl ? 'Thị' : 'Văn'} ${given}`;
  children.push(exampleChild(process.env.SOTAY_SOURCE_DIR, {
    full_name: name,
    sex: i < special.length || girl ? 'female' : 'male',
    dob: `${2011 + (i % 14)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    village: villages[i % villages.length],
    caregiver_name: i % 2 === 0 ? `Nguyễn Thị ${girls[i % girls.length]}` : `Lò Văn ${boys[i % boys.length]}`,
    caregiver_phone: `09${String(10000000 + i)}`,
    special_circumstances: i % 10 === 0 ? ['b'] : ['h'],
  }));
}
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
const namedNguyenThi = children.filter((c) => fold(c.full_name).startsWith('nguyen thi ')).length;

const d = await startDistrict();
try {
  d.importRecords('lan', 'child_profile', children.slice(0, 300));
  d.importRecords('hung', 'child_profile', children.slice(300));

  const page = await d.signIn('huyen');
  await page.goto(`${d.base}/records`);
  assert.match(await page.locator('#count').innerText(), /^600 /);
  const rows = () => page.locator('#records tbody tr');
  const names = async () => page.locator('#records tbody tr td:first-child a').allInnerTexts();
  const search = async (q, { others = false, sort = '' } = {}) => {
    await page.fill('#q', q);
    await page.setChecked('#others', others);
    await page.selectOption('#filters select[name=sort]', sort);
    await Promise.all([page.waitForNavigation(), page.click('#filters button[type=submit]')]);
  };

  // ---- The name, words in order, whole-word prefixes, diacritics optional ----
  await search('nguyen thi anh');
  assert.ok(!page.url().includes('anh'), 'the name searched for stays out of the URL');
  const found = await names();
  assert.deepEqual(found, ['Nguyễn Thị Ánh', 'Nguyễn Thị Anh Đào'], 'the exact name first, then the longer one');
  for (const n of found) assert.ok(!/Khánh|Thanh|Hạnh/.test(n), `${n} is not a substring match`);

  // ---- "nguyen thi", A–Z: only children so named, by given name ----
  await search('nguyen thi', { sort: 'name' });
  assert.match(await page.locator('#count').innerText(), new RegExp(`^${namedNguyenThi} `));
  const first = await names();
  assert.equal(first.length, Math.min(50, namedNguyenThi));
  assert.ok(first.every((n) => n.startsWith('Nguyễn Thị ')), `page 1 holds the children so named: ${first.join(', ')}`);
  assert.equal(first[0], 'Nguyễn Thị Ánh', 'Ánh is the first given name A–Z');
  // By given name (the last word), in Vietnamese order: "Anh Đào" among the Đ names.
  const given = first.map((n) => n.split(' ').pop());
  const vi = new Intl.Collator('vi');
  for (let k = 1; k < given.length; k++) {
    assert.ok(vi.compare(given[k - 1], given[k]) <= 0, `${first[k - 1]} before ${first[k]}`);
  }
  assert.equal(await page.locator('#records .why').count(), 0, 'no caregiver matches unless asked');

  // ---- Other answers on request, each row saying why ----
  await search('nguyen thi', { others: true, sort: 'name' });
  const wide = Number((await page.locator('#count').innerText()).split(' ')[0]);
  assert.ok(wide > namedNguyenThi, `caregivers named Nguyễn Thị are found too (${wide})`);
  await search('nguyen thi mai', { others: true, sort: 'name' });
  const texts = await rows().allInnerTexts();
  const firstWhy = texts.findIndex((t) => t.includes('khớp:'));
  assert.ok(firstWhy > 0, `the children named so first, then the other answers (${firstWhy})`);
  assert.ok(texts.slice(0, firstWhy).every((t) => t.startsWith('Nguyễn Thị')));
  assert.ok(texts.slice(firstWhy).every((t) => /khớp: Họ tên cha, mẹ/.test(t)), 'each other row says why');
  await d.shot(page, 'records-search-others');

  // ---- A filter and page 2: the filter travels in the page links ----
  await page.goto(`${d.base}/records`);
  await page.selectOption('#filters select[name=sex]', 'male');
  await page.selectOption('#filters select[name=village]', 'Nà Sản');
  await Promise.all([page.waitForNavigation(), page.click('#filters button[type=submit]')]);
  const males = children.filter((c) => c.sex === 'male' && c.village === 'Nà Sản').length;
  assert.match(await page.locator('#count').innerText(), new RegExp(`^${males} `));
  assert.ok(males > 50, 'enough for two pages');
  const page1 = await names();
  assert.equal(await page.locator('#pages [aria-current=page]').innerText(), '1');
  await Promise.all([page.waitForNavigation(), page.locator('#pages a[data-page="2"]').first().click()]);
  assert.match(page.url(), /sex=male/);
  assert.match(page.url(), /page=2/);
  const page2 = await names();
  assert.equal(page2.length, males - 50);
  assert.equal(await page.locator('#pages [aria-current=page]').innerText(), '2');
  for (const r of await rows().allInnerTexts()) assert.match(r, /Nam/);
  assert.equal(page1.length, 50);

  // ---- The filtered list as CSV: every page, codes and phones as text ----
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-list button')]);
  const bytes = fs.readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark first');
  const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1 + males, 'a header and exactly the rows of the filter');
  assert.ok(lines[0].startsWith('Mã hồ sơ,Tên,Biểu mẫu,Mã xã,Xã,"Thôn, bản",Tuổi,Giới tính'), lines[0]);
  assert.ok(lines.slice(1).every((l) => l.includes('"=""01234"""')), 'the commune code as text: Excel keeps 01234');
  await page.goto(`${d.base}/records?sex=male&village=N%C3%A0%20S%E1%BA%A3n`);
  await d.shot(page, 'records-1366');

  // ---- On a phone: rows become cards, nothing wider than the screen ----
  const phone = await d.signIn('huyen', { width: 360, height: 780 });
  await phone.goto(`${d.base}/records?sex=female`);
  const overflow = await phone.evaluate(() => document.querySelector('main').scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the list fits 360 px (overflows by ${overflow} px)`);
  assert.equal(await phone.locator('#records thead').isVisible(), false, 'cards, no table header');
  const card = await phone.locator('#records tbody tr').first().boundingBox();
  assert.ok(card.width <= 360 && card.height > 100, `a row is a card on the screen (${card.width}×${card.height})`);
  await d.shot(phone, 'records-360');
  console.log(`records browser test passed; screenshots in ${d.artifacts}`);
} finally {
  await d.close();
}
