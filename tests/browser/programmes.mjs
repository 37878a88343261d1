#!/usr/bin/env node
// AbleWork browser check: the seven programmes' core flows, keyboard only,
// as the city administrator, each page audited in Chinese (and the
// overview, a unit, a course and a participant in English too).
//
//   node tests/browser/programmes.mjs [BASE_URL]   (default http://127.0.0.1:18080)
//
//   0. twelve people of 和平区 with fresh ID numbers are imported (the
//      upload form, by keyboard) so that the flows can name them by ID
//      number and name;
//   1. training (measure 10): register a vocational college → add a course
//      of 3 places → enrol three people → a fourth is refused (places
//      full), the first again is refused (already enrolled) → record the
//      first's completion → record work within six months of it → the
//      course counts one placed, and the progress page's measure-10 row
//      has grown by one;
//   2. auxiliary employment (5): a workshop; a labour project of 100 pieces
//      in the district pool; 60 allocated to the workshop, then 50 refused
//      (only 40 left), then 40; a worker joins with an income and is placed;
//   3. rural (6): a poverty-alleviation base with a worker (income before
//      and now) placed; the criteria table shows;
//   4. blind massage (8): a medical massage institution, a practitioner
//      placed;
//   5. organisations and funds (4): a welfare foundation's fund of 10,000;
//      a disbursement of 4,000 to a person;
//   6. platforms (3): a platform partner; an online worker placed; a fee
//      waiver to a person;
//   7. service procurement (9): a provider's contract of 50,000; a person
//      served and placed; a payment of 30,000, then 30,000 refused (beyond
//      the contract), then 20,000.
// Every refusal is a field error linked from the error summary, and
// nothing is saved (the lists are re-read). Every page is audited as in
// a11y.mjs (axe-core WCAG 2.0/2.1 A and AA, one <h1>, no JavaScript error,
// no other origin, no full resident ID number outside the forms that were
// sent back).
//
// Output: one line per step, then `programmes: passed` (exit 0) or
// `programmes: FAILED — reason` (exit 1; screenshots in tests/browser/artifacts).
//
// Environment (all optional):
//   PROGRAMMES_PASSWORD=ablework-demo    PROGRAMMES_TIMEOUT_S=300 (whole run)
//   PROGRAMMES_NAV_TIMEOUT_MS=30000      CHROMIUM_PATH=/usr/bin/chromium

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  activate,
  audit,
  cfg,
  check,
  choose,
  chooseRadio,
  configure,
  errorSummary,
  errorText,
  launch,
  login,
  openSession,
  residentId,
  run,
  setCheckbox,
  shortUrl,
  state,
  step,
  summaryList,
  switchLanguage,
  tabTo,
  typeInto,
  visit,
} from './lib.mjs';

configure({ name: 'programmes', envPrefix: 'PROGRAMMES', timeoutS: 300 });

const DISTRICT = '120101';
const NAMES = ['冯晓梅', '陈建军', '褚丽娟', '卫志刚', '蒋玉兰', '沈国强', '韩秀云', '杨立新', '朱春燕', '秦明亮', '尤海燕', '许德胜'];

/** Twelve people with ID numbers no earlier run used (birth days from the clock). */
function makePeople() {
  const stamp = Math.floor(Date.now() / 1000);
  return NAMES.map((name, i) => {
    const born = new Date(Date.UTC(1975 + ((stamp >> 4) % 20), (stamp >> 9) % 12, 1 + ((stamp >> 13) % 27)));
    const seq = (stamp % 80) * 12 + i;
    return { name, id: residentId(DISTRICT, born, seq % 1000) };
  });
}

function peopleFile(people) {
  const lines = ['姓名,身份证号,残疾证号,所属区,街道,户籍类型,联系电话,文化程度,就业状态'];
  people.forEach((p, i) => lines.push(`${p.name},${p.id},${p.id}${1 + (i % 7)}${1 + (i % 4)},和平区,劝业场街道,城镇,,高中,未就业`));
  const file = path.join(os.tmpdir(), `ablework-programmes-${process.pid}.csv`);
  fs.writeFileSync(file, `\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
  return file;
}

/** Fill a form's fields by keyboard: [id, value, how] with how text | select | radio | check. */
async function fill(page, fields) {
  for (const [id, value, how = 'text'] of fields) {
    if (how === 'select') await choose(page, id, value);
    else if (how === 'radio') await chooseRadio(page, id, value);
    else if (how === 'check') await setCheckbox(page, id, value);
    else await typeInto(page, id, value);
  }
}

/** Press a form's submit button (the form posting to `action`); returns the response. */
async function submit(page, action, what) {
  return activate(page, `main form[action$="${action}"] button[type="submit"]`, { what });
}

/** Expect a refusal: HTTP 422, the error summary linking `#field`, its text matching `pattern`. */
async function expectRefused(s, resp, field, pattern, label) {
  const st = resp ? resp.status() : 0;
  check(st === 422, `${label}: HTTP ${st}, expected 422${await errorText(s.page)}`);
  const errors = await errorSummary(s.page);
  check(errors && errors.links.some((l) => l.href === `#${field}` && l.target), `${label}: no error linked to #${field}${await errorText(s.page)}`);
  const message = errors.links.find((l) => l.href === `#${field}`).text;
  check(pattern.test(message), `${label}: the message is ${JSON.stringify(message)}`);
  await audit(s, label, { masked: false });
  return message;
}

/** Expect a save that lands on `pattern` with ?saved=1; returns the record id from the path. */
async function expectSaved(s, resp, pattern, label) {
  const u = new URL(s.page.url());
  const m = u.pathname.match(pattern);
  check(resp && resp.status() === 200 && m && u.searchParams.get('saved') === '1',
    `${label}: landed on ${shortUrl(s.page.url())} (HTTP ${resp && resp.status()})${await errorText(s.page)}`);
  await audit(s, label);
  return m[1];
}

/** Register a unit of a programme from its page: the kind question, then the kind's form. */
async function newUnit(s, programme, kind, fields) {
  const { page } = s;
  await visit(s, `/programmes/${programme}`, { label: `${programme} programme` });
  let resp = await activate(page, `main a[href="/programmes/${programme}/units/new"]`, { what: 'the register-a-unit link' });
  check(resp && resp.status() === 200, `the unit form answered HTTP ${resp && resp.status()}`);
  if (await page.$('main input[type="radio"][name="kind"]')) {
    await audit(s, `${programme}: the kind question`);
    await chooseRadio(page, 'kind', kind);
    resp = await activate(page, 'main form button[type="submit"]', { what: 'the continue button' });
    check(resp && resp.status() === 200, `choosing the kind answered HTTP ${resp && resp.status()}`);
  }
  await audit(s, `${programme}: the ${kind} form`);
  await fill(page, fields);
  resp = await submit(page, `/programmes/${programme}/units`, 'the save button');
  return expectSaved(s, resp, /^\/programme-units\/(\d+)$/, `${programme}: the new ${kind}`);
}

/** Add an activity to a unit from the unit's page. */
async function newActivity(s, unitId, fields, label) {
  const { page } = s;
  const resp0 = await activate(page, `main a[href="/programme-units/${unitId}/activities/new"]`, { what: 'the add-activity link' });
  check(resp0 && resp0.status() === 200, `the activity form answered HTTP ${resp0 && resp0.status()}`);
  await audit(s, `${label} form`);
  await fill(page, fields);
  const resp = await submit(page, `/programme-units/${unitId}/activities`, 'the save button');
  return expectSaved(s, resp, /^\/programme-activities\/(\d+)$/, label);
}

/** Add a project to a programme's district pool. */
async function newPool(s, programme, fields, label) {
  const { page } = s;
  await visit(s, `/programmes/${programme}`, { label: `${programme} programme` });
  const resp0 = await activate(page, `main a[href="/programmes/${programme}/pool/new"]`, { what: 'the add-to-pool link' });
  check(resp0 && resp0.status() === 200, `the pool form answered HTTP ${resp0 && resp0.status()}`);
  await audit(s, `${label} form`);
  await fill(page, fields);
  const resp = await submit(page, `/programmes/${programme}/pool`, 'the save button');
  return expectSaved(s, resp, /^\/programme-activities\/(\d+)$/, label);
}

/** The join form on a unit's or activity's page; returns the response. */
async function join(s, base, person, extra = []) {
  await fill(s.page, [['id_number', person.id], ['name', person.name], ['joined_on', '2024-03-01'], ...extra]);
  return submit(s.page, `${base}/participants`, 'the add-person button');
}

/** The people table's rows: [participant href, status cell, placed cell]. */
async function peopleRows(page) {
  return page.$$eval('#people ~ .table-wrap table tbody tr, section[aria-labelledby="people"] table tbody tr', (trs) =>
    [...new Set(trs)].map((tr) => {
      const a = tr.querySelector('th a[href^="/programme-participants/"]');
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent.trim());
      return { href: a ? a.getAttribute('href') : null, status: cells[1] ?? '', placed: cells[6] ?? '' };
    }),
  );
}

/** Open the n-th person of the people table (by keyboard). */
async function openPerson(s, n) {
  const rows = await peopleRows(s.page);
  check(rows.length > n && rows[n].href, `the people table has ${rows.length} rows, wanted row ${n + 1}`);
  const resp = await activate(s.page, `main a[href="${rows[n].href}"]`, { what: `person ${n + 1}'s link` });
  check(resp && resp.status() === 200, `the participant page answered HTTP ${resp && resp.status()}`);
  await audit(s, 'participant');
  return rows[n].href;
}

/** Record work on a participant's page. */
async function place(s, href, startedOn, label) {
  await fill(s.page, [['started_on', startedOn]]);
  const resp = await submit(s.page, `${href}/placement`, 'the record-work button');
  await expectSaved(s, resp, /^\/programme-participants\/(\d+)$/, label);
  const facts = await summaryList(s.page);
  const placed = facts['就业'] ?? '';
  check(placed.startsWith(startedOn), `after the placement the page says work: ${JSON.stringify(placed)}`);
  return placed;
}

/** A draw on an activity's page; returns the response. */
async function drawOn(s, activityId, fields) {
  await fill(s.page, fields);
  return submit(s.page, `/programme-activities/${activityId}/draws`, 'the draw button');
}

async function drawCount(page) {
  return page.$$eval('section[aria-labelledby="draws"] table tbody tr', (trs) => trs.length);
}

/** The progress page's achieved figure per measure (the by-measure table's rows). */
async function measureFigures(s) {
  await visit(s, '/progress?lang=zh', { label: 'progress' });
  // The by-measure table: item, target, achieved, expected, status.
  const rows = await s.page.$$eval('main section[aria-labelledby="by-measure"] table tbody tr', (trs) =>
    trs.map((tr) => [tr.querySelector('th')?.textContent.trim() ?? '', tr.querySelectorAll('td')[1]?.textContent.trim() ?? '']));
  check(rows.length === 10, `the progress page's by-measure table has ${rows.length} rows, expected 10`);
  return Object.fromEntries(rows.map(([label, value]) => [label, Number.parseInt(value.replace(/[^\d]/g, ''), 10)]));
}

/** The measures whose programmes place someone in the flows below. */
const PLACED = ['职业技能培训', '辅助性就业', '农村助残基地与阳光工场', '盲人按摩', '民营企业与灵活就业', '就业服务“四个一”'];

run(async () => {
  await launch();
  const people = makePeople();
  state.secrets = people.map((p) => p.id);
  const admin = await openSession('admin');
  const { page } = admin;
  const ids = {};

  await step('the administrator imports twelve people to work with', async () => {
    await login(admin);
    const file = peopleFile(people);
    await visit(admin, '/persons/import', { label: 'upload page' });
    await tabTo(page, '#file', { what: 'the file field' });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles(file);
    const resp = await activate(page, 'main form button[type="submit"]', { what: 'the import button' });
    check(resp && resp.status() === 200, `the upload answered HTTP ${resp && resp.status()}`);
    const job = new URL(page.url()).pathname;
    for (let i = 0; i < 120 && (await page.$('progress')); i++) {
      await page.waitForTimeout(500);
      await page.goto(new URL(`${job}?lang=zh`, cfg.ORIGIN).href, { waitUntil: 'load' });
    }
    check(!(await page.$('progress')), 'the import did not finish within a minute');
    fs.rmSync(file, { force: true });
    return job;
  });

  let before = {};
  let trainingBefore = 0;
  await step('the programmes overview, in Chinese and English', async () => {
    before = await measureFigures(admin);
    trainingBefore = before['职业技能培训'];
    await visit(admin, '/programmes?lang=zh', { label: 'programmes' });
    const rows = await page.$$eval('main table tbody tr th a', (as) => as.map((a) => a.getAttribute('href')));
    check(rows.length === 7, `the overview lists ${rows.length} programmes, expected 7`);
    await switchLanguage(admin, 'en');
    await switchLanguage(admin, 'zh');
    return `measure 10 before: ${trainingBefore}`;
  });

  await step('training: a college, a course of three places, three enrolled, a fourth and a repeat refused', async () => {
    ids.college = await newUnit(admin, 'training', 'vocational_college', [
      ['name', `和平区残疾人职业技能培训学校 ${Date.now() % 100000}`],
      ['district', DISTRICT, 'select'],
      ['accreditation', 'accredited', 'select'],
      ['accredited_on', '2022-03-15'],
    ]);
    ids.course = await newActivity(admin, ids.college, [
      ['title', '中式面点师（初级）'],
      ['starts_on', '2024-03-01'],
      ['ends_on', '2024-04-30'],
      ['capacity', '3'],
      ['occupation', '51', 'select'],
      ['mode', 'on_order', 'radio'],
      ['provisions-sign_language', true, 'check'],
    ], 'training: the new course');
    const base = `/programme-activities/${ids.course}`;
    for (const person of people.slice(0, 3)) {
      const resp = await join(admin, base, person);
      await expectSaved(admin, resp, /^\/programme-activities\/(\d+)$/, `training: ${person.name} enrolled`);
    }
    let resp = await join(admin, base, people[3]);
    const full = await expectRefused(admin, resp, 'id_number', /名额已满/, 'training: the fourth refused');
    resp = await join(admin, base, people[0]);
    const twice = await expectRefused(admin, resp, 'id_number', /已经在名单上/, 'training: a repeat refused');
    await visit(admin, base, { label: 'course' });
    const rows = await peopleRows(page);
    check(rows.length === 3, `the course lists ${rows.length} people, expected 3`);
    return `${full} / ${twice}`;
  });

  await step('training: completion, then work within six months, counted under measure 10', async () => {
    const href = await openPerson(admin, 0);
    await chooseRadio(page, 'status', 'completed');
    await fill(page, [['ended_on', '2024-04-30'], ['certificate', 'JN2024-0001']]);
    let resp = await submit(page, `${href}/progress`, 'the save-progress button');
    await expectSaved(admin, resp, /^\/programme-participants\/(\d+)$/, 'training: completed');
    await fill(page, [['started_on', '2024-12-01']]);
    resp = await submit(page, `${href}/placement`, 'the record-work button');
    await expectRefused(admin, resp, 'started_on', /6 个月/, 'training: work too late refused');
    await place(admin, href, '2024-06-03', 'training: placed');
    await switchLanguage(admin, 'en');
    await switchLanguage(admin, 'zh');
    await visit(admin, `/programme-activities/${ids.course}`, { label: 'course' });
    const results = await page.$$eval('section[aria-labelledby="results"] tbody tr', (trs) =>
      trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('td').textContent.trim()]));
    const inWork = results.find(([label]) => label.includes('6 个月'));
    const placed = results.find(([label]) => label.includes('措施十'));
    check(inWork && inWork[1] === '1' && placed && placed[1] === '1', `the course's results say ${JSON.stringify(results)}`);
    const after = (await measureFigures(admin))['职业技能培训'];
    check(after === trainingBefore + 1, `measure 10 went from ${trainingBefore} to ${after}, expected +1`);
    return `measure 10: ${trainingBefore} → ${after}`;
  });

  await step('auxiliary: a workshop, a labour project allocated within its volume, a worker placed', async () => {
    const workshop = `和平区温馨工场 ${Date.now() % 100000}`;
    ids.workshop = await newUnit(admin, 'auxiliary', 'workshop', [
      ['name', workshop],
      ['district', DISTRICT, 'select'],
      ['capacity', '5'],
    ]);
    ids.project = await newPool(admin, 'auxiliary', [
      ['title', '医院被服折叠'],
      ['district', DISTRICT, 'select'],
      ['starts_on', '2024-01-01'],
      ['limit', '100'],
      ['unit_price', '0.35'],
      ['source_kind', 'hospital', 'select'],
      ['source_name', '天津市第一中心医院'],
      ['scope', '被服折叠与装袋'],
    ], 'auxiliary: the new labour project');
    let resp = await drawOn(admin, ids.project, [['unit_id', ids.workshop, 'select'], ['amount', '60'], ['on_date', '2024-02-01']]);
    await expectSaved(admin, resp, /^\/programme-activities\/(\d+)$/, 'auxiliary: 60 allocated');
    resp = await drawOn(admin, ids.project, [['unit_id', ids.workshop, 'select'], ['amount', '50'], ['on_date', '2024-03-01']]);
    const over = await expectRefused(admin, resp, 'amount', /40/, 'auxiliary: 50 refused');
    await visit(admin, `/programme-activities/${ids.project}`, { label: 'labour project' });
    check((await drawCount(page)) === 1, 'the refused allocation was saved');
    resp = await drawOn(admin, ids.project, [['unit_id', ids.workshop, 'select'], ['amount', '40'], ['on_date', '2024-03-01']]);
    await expectSaved(admin, resp, /^\/programme-activities\/(\d+)$/, 'auxiliary: 40 allocated');
    await visit(admin, `/programme-units/${ids.workshop}`, { label: 'workshop' });
    resp = await join(admin, `/programme-units/${ids.workshop}`, people[4], [['monthly_income', '1200']]);
    await expectSaved(admin, resp, /^\/programme-units\/(\d+)$/, 'auxiliary: a worker joined');
    const href = await openPerson(admin, 0);
    await place(admin, href, '2024-03-01', 'auxiliary: placed');
    return over;
  });

  await step('rural: a base with a worker whose income rose, placed; the criteria shown', async () => {
    ids.base = await newUnit(admin, 'rural', 'rural_base', [
      ['name', `蓟州区食用菌扶贫基地 ${Date.now() % 100000}`],
      ['district', '120119', 'select'],
    ]);
    check(await page.$('section[aria-labelledby="criteria"] table'), 'the base shows no criteria table');
    const resp = await join(admin, `/programme-units/${ids.base}`, people[5], [
      ['role', 'worker', 'radio'], ['monthly_income', '2600'], ['income_before', '1900'],
    ]);
    await expectSaved(admin, resp, /^\/programme-units\/(\d+)$/, 'rural: a worker joined');
    const href = await openPerson(admin, 0);
    return place(admin, href, '2024-03-05', 'rural: placed');
  });

  await step('blind massage: an institution and a practitioner placed', async () => {
    ids.massage = await newUnit(admin, 'massage', 'medical_massage', [
      ['name', `和平区盲人医疗按摩所 ${Date.now() % 100000}`],
      ['district', DISTRICT, 'select'],
    ]);
    const resp = await join(admin, `/programme-units/${ids.massage}`, people[6], [['monthly_income', '4200']]);
    await expectSaved(admin, resp, /^\/programme-units\/(\d+)$/, 'massage: a practitioner joined');
    const href = await openPerson(admin, 0);
    return place(admin, href, '2024-03-10', 'massage: placed');
  });

  await step('organisations: a foundation, a fund, a disbursement to a person', async () => {
    ids.foundation = await newUnit(admin, 'organisations', 'welfare_foundation', [
      ['name', `和平区残疾人福利基金会 ${Date.now() % 100000}`],
      ['district', DISTRICT, 'select'],
    ]);
    ids.fund = await newActivity(admin, ids.foundation, [
      ['kind', 'fund', 'radio'],
      ['title', '残疾人创业扶持基金'],
      ['starts_on', '2024-01-01'],
      ['limit', '10000'],
    ], 'organisations: the new fund');
    const resp = await drawOn(admin, ids.fund, [
      ['id_number', people[7].id], ['name', people[7].name], ['amount', '4000'], ['on_date', '2024-05-01'],
    ]);
    await expectSaved(admin, resp, /^\/programme-activities\/(\d+)$/, 'organisations: a disbursement');
    const facts = await summaryList(page);
    check(facts['剩余'] === '6000', `the fund has ${JSON.stringify(facts['剩余'])} left, expected 6000`);
    return 'left: 6000';
  });

  await step('platforms: a partner platform, an online worker placed, a fee waiver', async () => {
    ids.platform = await newUnit(admin, 'platforms', 'platform_partner', [
      ['name', `津门优选 ${Date.now() % 100000}`],
      ['district', DISTRICT, 'select'],
    ]);
    let resp = await join(admin, `/programme-units/${ids.platform}`, people[8], [['monthly_income', '2300']]);
    await expectSaved(admin, resp, /^\/programme-units\/(\d+)$/, 'platforms: an online worker joined');
    const href = await openPerson(admin, 0);
    await place(admin, href, '2024-04-01', 'platforms: placed');
    await visit(admin, `/programme-units/${ids.platform}`, { label: 'platform' });
    ids.waivers = await newActivity(admin, ids.platform, [
      ['title', '残疾人网店服务费减免'],
      ['starts_on', '2024-01-01'],
    ], 'platforms: the new waiver scheme');
    resp = await drawOn(admin, ids.waivers, [
      ['id_number', people[8].id], ['name', people[8].name], ['amount', '600'], ['on_date', '2024-04-01'],
      ['purpose', 'service_fee', 'radio'], ['until', '2024-12-31'],
    ]);
    await expectSaved(admin, resp, /^\/programme-activities\/(\d+)$/, 'platforms: a fee waiver');
  });

  await step('procurement: a contract, a person served and placed, payments within the amount', async () => {
    ids.provider = await newUnit(admin, 'procurement', 'service_provider', [
      ['name', `天津启航社会工作服务中心 ${Date.now() % 100000}`],
      ['district', DISTRICT, 'select'],
    ]);
    ids.contract = await newActivity(admin, ids.provider, [
      ['title', '2024年就业服务购买合同'],
      ['starts_on', '2024-01-01'],
      ['ends_on', '2024-12-31'],
      ['limit', '50000'],
      ['scope', '就业状况核查与岗位推荐'],
    ], 'procurement: the new contract');
    let resp = await join(admin, `/programme-activities/${ids.contract}`, people[9]);
    await expectSaved(admin, resp, /^\/programme-activities\/(\d+)$/, 'procurement: a person served');
    const href = await openPerson(admin, 0);
    await place(admin, href, '2024-05-06', 'procurement: placed');
    await visit(admin, `/programme-activities/${ids.contract}`, { label: 'contract' });
    resp = await drawOn(admin, ids.contract, [['amount', '30000'], ['on_date', '2024-06-30'], ['note', '上半年核查与评估']]);
    await expectSaved(admin, resp, /^\/programme-activities\/(\d+)$/, 'procurement: a payment');
    resp = await drawOn(admin, ids.contract, [['amount', '30000'], ['on_date', '2024-12-31'], ['note', '下半年岗位推荐']]);
    const over = await expectRefused(admin, resp, 'amount', /20000/, 'procurement: a payment beyond the contract refused');
    await visit(admin, `/programme-activities/${ids.contract}`, { label: 'contract' });
    check((await drawCount(page)) === 1, 'the refused payment was saved');
    resp = await drawOn(admin, ids.contract, [['amount', '20000'], ['on_date', '2024-12-31'], ['note', '下半年岗位推荐']]);
    await expectSaved(admin, resp, /^\/programme-activities\/(\d+)$/, 'procurement: the last payment');
    await switchLanguage(admin, 'en');
    return over;
  });

  await step('each placement counts once under its programme\'s measure on the progress page', async () => {
    await switchLanguage(admin, 'zh');
    const after = await measureFigures(admin);
    const moved = PLACED.map((m) => `${m} ${before[m]}→${after[m]}`);
    for (const m of PLACED) check(after[m] === before[m] + 1, `measure ${m}: ${before[m]} → ${after[m]}, expected +1`);
    check(after['助残社会组织'] === before['助残社会组织'], 'measure 4 moved without a placement');
    return moved.join('; ');
  });
});
