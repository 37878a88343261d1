#!/usr/bin/env node
// AbleWork browser check: one person's "four ones" case end to end, by keyboard alone.
//
//   node tests/browser/case.mjs [BASE_URL]     (default http://127.0.0.1:18080)
//
// Two members of staff use the running demo, each in their own browser
// context, and every form is filled with the keyboard only (Tab / Shift+Tab to
// move, typing, Space for check boxes, arrow keys for selects, Enter to follow
// a link or press a button). The DOM is read only to decide how many Tabs to
// press and to read results; page.goto is used only to open a known URL.
//
//   1. officer (district 120101) registers an unemployed disabled person at
//      /persons/new with a fresh, valid resident ID (unique per run);
//   2. officer follows "就业服务记录（“四个一”）" to the case and records a check,
//      an assessment, a need and a service; the case reads 已完成 3 / 4 while the
//      assessment waits, and the officer's own 审核通过 is refused with an error
//      summary linking to #note;
//   3. admin (the supervisor) finds it at /assessments, follows the link to the
//      case and approves it: 已完成 4 / 4;
//   4. officer reads /progress, records an outcome (started 2024-06-15, quota,
//      measure 就业服务“四个一”, 24-month contract, 4200 yuan, insured) and reads
//      /progress again: the 2024 row, the measure's row, the district's row,
//      the total, the 2024-06 month and the quota form each grew by exactly 1;
//   5. officer records a 3-month follow-up "still employed: yes";
//   6. officer switches to English with the header's "English" link and audits
//      the case page and every form of it (one submitted empty, for the English
//      error summary), then switches back with "中文".
// Every page visited is audited with axe-core (WCAG 2.0/2.1 A and AA, as in
// a11y.mjs), plus: HTTP status as expected, <html lang> is the language in
// use, exactly one visible <h1>, no uncaught JavaScript error, no request to
// another origin, and no full ID or certificate number on any page that is
// not a form echoing what was typed.
//
// Output: one line per step, then `case: passed` (exit 0) or
// `case: FAILED — reason` (exit 1; screenshots in tests/browser/artifacts).
// It can run any number of times against the same database: every run
// registers a new person and compares the dashboard before and after.
//
// Environment (all optional):
//   CASE_PASSWORD=ablework-demo      CASE_TIMEOUT_S=180 (whole run)
//   CASE_NAV_TIMEOUT_MS=30000        CHROMIUM_PATH=/usr/bin/chromium
//   A11Y_ARTIFACTS=tests/browser/artifacts

import {
  activate,
  activeInfo,
  audit,
  cfg,
  check,
  choose,
  configure,
  errorSummary,
  errorText,
  fail,
  launch,
  login,
  openSession,
  requireChromium,
  residentId,
  run,
  shortUrl,
  state as shared,
  step,
  summaryList,
  switchLanguage,
  tabTo,
  text,
  tickExactly,
  typeInto,
  visit,
} from './lib.mjs';

configure({ name: 'case', envPrefix: 'CASE', timeoutS: 180, scanIds: false });

const DISTRICT = '120101';
const DISTRICT_NAME = '和平区';
const CASE_LINK_TEXT = '就业服务记录（“四个一”）';

// What is recorded, in the order of a real case: checked and assessed in
// March 2024, placed in June, followed up three months later. The plan runs
// 2022–2024, so the start counts as new employment in 2024.
const CHECK = { date: '2024-03-04', fields: ['identity', 'disability'], source: 'in_person', note: '本人携残疾证、身份证到服务站核实。' };
const ASSESSMENT = {
  date: '2024-03-11',
  functions: { mobility: 'moderate', vision: 'none', hearing: 'none', speech: 'none', fine_motor: 'mild', cognition: 'none', stamina: 'mild' },
  capacity: 'full_time',
  skills: '会计电算化，五年出纳工作经验。',
  forms: ['quota'],
  accommodations: ['step_free', 'accessible_toilet'],
};
const NEED = { date: '2024-03-11', occupations: '出纳、行政文员', form: 'quota', hours: 'full_time', districts: ['120101', '120103'], wage: '4000' };
const SERVICE = { kind: 'job_recommendation', date: '2024-04-08', result: 'accepted', note: '推荐到一家按比例安排就业的企业应聘出纳。' };
const OUTCOME = { started: '2024-06-15', year: '2024', month: '2024-06', form: 'quota', formLabel: '按比例就业', measure: 'm09_service', measureLabel: '就业服务“四个一”', contract: '24', wage: '4200', insured: 'yes' };
const FOLLOW_UP = { after: '3', date: '2024-09-16', still: 'yes' };

// ----------------------------------------------------------------- helpers --

/**
 * The person of this run: a man born 1989–1991 (birth date and sequence
 * number from the clock, so every run gets an ID number no earlier run
 * used); certificate = ID + category 4 (physical) + level 2.
 */
function makePerson(attempt) {
  const t = Date.now() + attempt * 7919;
  const n = t % 499; // sequences 1..997, odd (male)
  const day = Math.floor(t / 499) % 1095;
  const id = residentId(DISTRICT, new Date(Date.UTC(1989, 0, 1) + day * 86400000), 2 * n + 1);
  return {
    name: '键盘个案测试',
    id,
    cert: `${id}42`,
    street: '南营门街道',
    phone: `138${String((t * 7) % 100000000).padStart(8, '0')}`,
    hukou: 'urban',
    education: 'vocational',
    employment_status: 'unemployed',
  };
}

/** What the case page shows: the "done" count, the facts, every section's entries. */
async function caseState(page) {
  return page.evaluate(() => {
    const clean = (t) => (t || '').trim().replace(/\s+/g, ' ');
    const progress = clean(document.querySelector('section[aria-labelledby="progress-title"] p')?.textContent);
    const m = progress.match(/(\d+)\s*\/\s*4/);
    const entries = (id) =>
      [...document.querySelectorAll(`section[aria-labelledby="${id}"] ol.timeline > li`)].map((li) => ({
        head: clean(li.querySelector('p')?.textContent),
        lines: [...li.querySelectorAll(':scope > ul > li')].map((x) => clean(x.textContent)),
        review: !!li.querySelector('form[action^="/assessments/"]'),
        followUp: !!li.querySelector('form[action$="/follow-up"]'),
      }));
    return {
      progress,
      done: m ? Number(m[1]) : null,
      facts: Object.fromEntries(
        [...document.querySelectorAll('dl.summary-list > div')].map((d) => [clean(d.querySelector('dt')?.textContent), clean(d.querySelector('dd')?.textContent)]),
      ),
      check: entries('check'),
      assessment: entries('assessment'),
      need: entries('need'),
      service: entries('service'),
      outcomes: entries('outcomes'),
    };
  });
}

/** The achieved counts of /progress: total, and rows of the year, month, district, measure and form tables. */
async function progressFigures(page) {
  return page.evaluate(() => {
    const clean = (t) => (t || '').trim().replace(/\s+/g, ' ');
    const table = (id) => {
      const t = document.querySelector(`section[aria-labelledby="${id}"] table`);
      if (!t) return null;
      const heads = [...t.querySelectorAll('thead th')].map((th) => clean(th.textContent));
      const col = heads.indexOf('已实现');
      const rows = {};
      for (const tr of t.querySelectorAll('tbody tr')) {
        const cells = [...tr.children].map((c) => clean(c.textContent));
        rows[cells[0]] = Number((col >= 0 ? cells[col] : cells[1]).replace(/,/g, ''));
      }
      return rows;
    };
    const achievedDd = [...document.querySelectorAll('dl.summary-list > div')].find((d) => clean(d.querySelector('dt')?.textContent) === '已实现新增就业');
    return {
      total: achievedDd ? Number(clean(achievedDd.querySelector('dd strong')?.textContent).replace(/,/g, '')) : null,
      year: table('by-year'),
      month: table('cumulative'),
      district: table('by-district'),
      measure: table('by-measure'),
      form: table('by-form'),
    };
  });
}

// ------------------------------------------------------------------- steps --


/** Register the person at /persons/new; retries with new numbers if the ID is taken. */
async function registerPerson(s) {
  const { page } = s;
  let p = makePerson(0);
  for (let attempt = 0; attempt < 4; attempt++) {
    shared.secrets = [p.id]; // the certificate number starts with the ID number
    await visit(s, '/persons/new', { label: 'new person form' });
    await typeInto(page, 'name', p.name);
    await typeInto(page, 'id_number', p.id);
    await typeInto(page, 'certificate_number', p.cert);
    await typeInto(page, 'street', p.street);
    await typeInto(page, 'phone', p.phone);
    await choose(page, 'district', DISTRICT);
    await choose(page, 'hukou', p.hukou);
    await choose(page, 'education', p.education);
    await choose(page, 'employment_status', p.employment_status);
    await choose(page, 'retirement_group', '');
    const resp = await activate(page, 'main form button[type="submit"]', { what: 'the save button' });
    const st = resp ? resp.status() : 0;
    const m = new URL(page.url()).pathname.match(/^\/persons\/(\d+)$/);
    if (m && st === 200) {
      await audit(s, 'person (registered)');
      return { person: p, pid: m[1], retries: attempt };
    }
    const errors = await errorSummary(page);
    const fields = errors ? errors.links.map((l) => l.href) : [];
    if (st === 422 && fields.length && fields.every((f) => f === '#id_number' || f === '#certificate_number')) {
      // Taken already (by an earlier run or a demo person): new numbers.
      await audit(s, 'new person form (ID taken)', { masked: false });
      p = makePerson(attempt + 1);
      continue;
    }
    fail(`registering the person: HTTP ${st} at ${shortUrl(page.url())}${errors ? `: ${errors.links.map((l) => `${l.href} ${l.text}`).join('; ')}` : ''}`);
  }
  fail('registering the person: ID numbers rejected 4 times');
}

/** On the case page, follow the link to one step's form (by keyboard) and audit it. */
async function openStepForm(s, pid, stepCode, label) {
  const resp = await activate(s.page, `main a[href="/persons/${pid}/case/${stepCode}"]`, { what: `the link to the ${stepCode} form` });
  check(resp && resp.status() === 200, `the ${stepCode} form answered HTTP ${resp && resp.status()}`);
  check(new URL(s.page.url()).pathname === `/persons/${pid}/case/${stepCode}`, `the link led to ${shortUrl(s.page.url())}`);
  await audit(s, label);
}

/** Press the form's save button; expect the case page, saved, at #anchor. */
async function saveStep(s, pid, anchor, what) {
  const { page } = s;
  const resp = await activate(page, 'main form button[type="submit"]', { what: `the ${what} form's save button` });
  const u = new URL(page.url());
  check(resp && resp.status() === 200 && u.pathname === `/persons/${pid}/case` && u.searchParams.get('saved') === '1',
    `saving the ${what} landed on ${shortUrl(page.url())} (HTTP ${resp && resp.status()}), expected /persons/${pid}/case?saved=1#${anchor}${await errorText(page)}`);
  check(u.hash === `#${anchor}`, `saving the ${what} landed at ${u.hash || 'no anchor'}, expected #${anchor}`);
  await audit(s, `case (after the ${what})`);
  const notice = await text(page, 'main p.notice[role="status"]');
  check(notice, `the case page shows no "saved" notice after the ${what}`);
  return caseState(page);
}

async function main() {
  const started = Date.now();
  requireChromium();
  console.log(`case: ${cfg.ORIGIN}`);

  await launch();
  const officer = await openSession('officer');
  const admin = await openSession('admin');

  await step('officer and admin log in by keyboard', async () => {
    await Promise.all([login(officer), login(admin)]);
    return `${shortUrl(officer.page.url())}, ${shortUrl(admin.page.url())}`;
  });

  let person;
  let pid;
  await step(`officer registers an unemployed person in ${DISTRICT} by keyboard`, async () => {
    let retries;
    ({ person, pid, retries } = await registerPerson(officer));
    const facts = await summaryList(officer.page, '');
    const shown = Object.values(facts).join(' | ');
    check(shown.includes(DISTRICT_NAME), `the person page does not show the district ${DISTRICT_NAME}: ${shown}`);
    check(shown.includes('未就业'), `the person page does not show 未就业: ${shown}`);
    return `/persons/${pid} (ID ${person.id.slice(0, 6)}…, born ${person.id.slice(6, 14)}, certificate …${person.cert.slice(-2)})${retries ? `; ID taken ${retries}×, new numbers` : ''}`;
  });

  let state;
  await step('officer opens the case from the person page and records a check', async () => {
    const { page } = officer;
    const resp = await activate(page, `main a[href="/persons/${pid}/case"]`, { text: CASE_LINK_TEXT, what: `the link "${CASE_LINK_TEXT}"` });
    check(resp && resp.status() === 200 && new URL(page.url()).pathname === `/persons/${pid}/case`,
      `the case link led to ${shortUrl(page.url())} (HTTP ${resp && resp.status()})`);
    await audit(officer, 'case (new)');
    state = await caseState(page);
    check(state.done === 0, `a new case reads ${JSON.stringify(state.progress)}, expected 已完成 0 / 4`);
    await openStepForm(officer, pid, 'check', 'check form');
    await typeInto(page, 'checked_on', CHECK.date);
    await tickExactly(page, 'fields', CHECK.fields);
    await choose(page, 'source', CHECK.source);
    await typeInto(page, 'note', CHECK.note);
    state = await saveStep(officer, pid, 'check', 'check');
    check(state.check.length === 1 && state.check[0].head.startsWith(CHECK.date), `the check section lists ${JSON.stringify(state.check)}`);
    check(state.check[0].lines.some((l) => l.includes('姓名与身份') && l.includes('残疾类别与等级')), `the check does not list what was verified: ${JSON.stringify(state.check[0])}`);
    check(state.done === 1, `after the check the case reads ${JSON.stringify(state.progress)}, expected 1 / 4`);
    return `${state.check[0].head}; ${state.progress}`;
  });

  await step('officer records an assessment (it waits for a supervisor)', async () => {
    const { page } = officer;
    await openStepForm(officer, pid, 'assessment', 'assessment form');
    await typeInto(page, 'assessed_on', ASSESSMENT.date);
    const functions = await page.$$eval('main select[id^="function_"]', (els) => els.map((e) => e.id.slice('function_'.length)));
    const missing = functions.filter((f) => !(f in ASSESSMENT.functions));
    check(missing.length === 0, `the assessment form asks about functions this test does not know: ${missing.join(', ')}`);
    for (const f of functions) await choose(page, `function_${f}`, ASSESSMENT.functions[f]);
    await choose(page, 'capacity', ASSESSMENT.capacity);
    await typeInto(page, 'skills', ASSESSMENT.skills);
    await tickExactly(page, 'forms', ASSESSMENT.forms);
    await tickExactly(page, 'accommodations', ASSESSMENT.accommodations);
    state = await saveStep(officer, pid, 'assessment', 'assessment');
    check(state.assessment.length === 1, `the assessment section lists ${state.assessment.length} entries, expected 1`);
    const a = state.assessment[0];
    check(a.head.startsWith(ASSESSMENT.date) && a.head.includes('待审核'), `the assessment reads ${JSON.stringify(a.head)}, expected ${ASSESSMENT.date} · 待审核`);
    check(a.review, 'the waiting assessment has no review form');
    check(state.done === 1, `with the assessment waiting the case reads ${JSON.stringify(state.progress)}, expected 1 / 4`);
    return `${a.head}; ${functions.length} functions; ${state.progress}`;
  });

  await step('officer records a need and a service: 已完成 3 / 4', async () => {
    const { page } = officer;
    await openStepForm(officer, pid, 'need', 'need form');
    await typeInto(page, 'registered_on', NEED.date);
    await typeInto(page, 'occupations', NEED.occupations);
    await choose(page, 'form', NEED.form);
    await choose(page, 'hours', NEED.hours);
    await tickExactly(page, 'districts', NEED.districts);
    await typeInto(page, 'wage_expectation', NEED.wage);
    state = await saveStep(officer, pid, 'need', 'need');
    check(state.need.length === 1 && state.need[0].head.includes(NEED.occupations), `the need section lists ${JSON.stringify(state.need)}`);
    check(state.need[0].lines.some((l) => l.includes(NEED.wage)), `the need does not show the wage ${NEED.wage}: ${JSON.stringify(state.need[0].lines)}`);
    check(state.done === 2, `after the need the case reads ${JSON.stringify(state.progress)}, expected 2 / 4`);

    await openStepForm(officer, pid, 'service', 'service form');
    await choose(page, 'kind', SERVICE.kind);
    await typeInto(page, 'served_on', SERVICE.date);
    await choose(page, 'result', SERVICE.result);
    await typeInto(page, 'note', SERVICE.note);
    state = await saveStep(officer, pid, 'service', 'service');
    check(state.service.length === 1 && state.service[0].head.startsWith(SERVICE.date), `the service section lists ${JSON.stringify(state.service)}`);
    const progress = await text(page, 'section[aria-labelledby="progress-title"] p');
    check(/^已完成 3 \/ 4/.test(progress || ''), `after check, need and service the case reads ${JSON.stringify(progress)}, expected 已完成 3 / 4`);
    return progress;
  });

  await step('officer cannot approve their own assessment (error summary → #note)', async () => {
    const { page } = officer;
    const resp = await activate(page, 'main form[action^="/assessments/"] button[name="decision"][value="approve"]', { text: '审核通过', what: 'the "审核通过" button' });
    check(resp && resp.status() === 422, `the author's 审核通过 answered HTTP ${resp && resp.status()} at ${shortUrl(page.url())}, expected 422`);
    await audit(officer, 'case (own approval refused)');
    const errors = await errorSummary(page);
    check(errors, 'the refusal shows no error summary');
    check(errors.role === 'alert' && errors.tabindex === '-1', `the error summary has role=${errors.role} tabindex=${errors.tabindex}, expected alert / -1`);
    check(errors.links.length === 1 && errors.links[0].href === '#note' && errors.links[0].target,
      `the error summary links to ${JSON.stringify(errors.links)}, expected only #note (an element on the page)`);
    const note = await page.$eval('#note', (el) => ({
      invalid: el.getAttribute('aria-invalid'),
      describedBy: el.getAttribute('aria-describedby') || '',
      message: document.getElementById('note-error')?.textContent.trim() ?? null,
    }));
    check(note.invalid === 'true' && note.describedBy.split(/\s+/).includes('note-error') && note.message,
      `#note is not marked invalid with its message (${JSON.stringify(note)})`);
    // Keyboard: the summary's link takes you to the field.
    await tabTo(page, '.error-summary a[href="#note"]', { what: 'the error summary link' });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#note');
    let at = await activeInfo(page);
    if (!at || at.id !== 'note') {
      await page.keyboard.press('Tab'); // the focus starting point moved to the target
      at = await activeInfo(page);
    }
    check(at && at.id === 'note', `the error summary link did not lead the keyboard to #note (focus on ${JSON.stringify(at)})`);
    state = await caseState(page);
    check(state.done === 3 && state.assessment[0].head.includes('待审核'), `after the refusal the case reads ${JSON.stringify(state.progress)} / ${JSON.stringify(state.assessment[0]?.head)}`);
    return `HTTP 422: ${errors.links[0].text}`;
  });

  await step('admin finds the assessment at /assessments and approves it: 4 / 4', async () => {
    const { page } = admin;
    await visit(admin, '/assessments', { label: 'assessments waiting' });
    const link = `main table a[href="/persons/${pid}/case#assessment"]`;
    let pageNo = 1;
    while (!(await page.$(link))) {
      check(pageNo < 50 && (await page.$('a[rel="next"]')), `no link to /persons/${pid}/case#assessment at /assessments (${pageNo} page(s) looked at)`);
      const r = await activate(page, 'a[rel="next"]', { what: 'the next-page link' });
      check(r && r.status() === 200, `/assessments page ${pageNo + 1} answered HTTP ${r && r.status()}`);
      pageNo++;
      await audit(admin, `assessments waiting, page ${pageNo}`);
    }
    let resp = await activate(page, link, { what: `the link to person ${pid}'s case` });
    check(resp && resp.status() === 200 && new URL(page.url()).pathname === `/persons/${pid}/case`,
      `the link led to ${shortUrl(page.url())} (HTTP ${resp && resp.status()})`);
    await audit(admin, 'case (to review)');
    state = await caseState(page);
    check(state.done === 3, `admin sees ${JSON.stringify(state.progress)}, expected 3 / 4`);
    await tabTo(page, '#note');
    await page.keyboard.type('评估依据充分，同意。');
    resp = await activate(page, 'main form[action^="/assessments/"] button[name="decision"][value="approve"]', { text: '审核通过', what: 'the "审核通过" button' });
    const u = new URL(page.url());
    check(resp && resp.status() === 200 && u.pathname === `/persons/${pid}/case` && u.hash === '#assessment',
      `approving answered HTTP ${resp && resp.status()} at ${shortUrl(page.url())}${await errorText(page)}`);
    await audit(admin, 'case (approved)');
    state = await caseState(page);
    const a = state.assessment[0];
    check(a && a.head.includes('已审核通过') && !a.review, `the assessment reads ${JSON.stringify(a)}, expected 已审核通过 with no review form`);
    check(a.lines.some((l) => l.includes('审核人') && l.includes('admin')), `the assessment does not name its reviewer: ${JSON.stringify(a.lines)}`);
    const progress = await text(page, 'section[aria-labelledby="progress-title"] p');
    check(/^已完成 4 \/ 4/.test(progress || ''), `after approval the case reads ${JSON.stringify(progress)}, expected 已完成 4 / 4`);
    return `found on /assessments page ${pageNo}; ${a.head}; ${progress}`;
  });

  let before;
  await step('officer reads the dashboard before the outcome', async () => {
    await visit(officer, '/progress', { label: 'progress (before)' });
    before = await progressFigures(officer.page);
    const need = [
      ['total', before.total],
      [`year ${OUTCOME.year}`, before.year?.[OUTCOME.year]],
      [`month ${OUTCOME.month}`, before.month?.[OUTCOME.month]],
      [`district ${DISTRICT_NAME}`, before.district?.[DISTRICT_NAME]],
      [`measure ${OUTCOME.measureLabel}`, before.measure?.[OUTCOME.measureLabel]],
      [`form ${OUTCOME.formLabel}`, before.form?.[OUTCOME.formLabel]],
    ];
    const absent = need.filter(([, v]) => !Number.isInteger(v)).map(([k]) => k);
    check(absent.length === 0, `/progress has no figure for: ${absent.join(', ')}`);
    return need.map(([k, v]) => `${k} ${v}`).join(', ');
  });

  await step(`officer records the outcome: started ${OUTCOME.started}, ${OUTCOME.measure}`, async () => {
    const { page } = officer;
    await visit(officer, `/persons/${pid}/case`, { label: 'case (before the outcome)' });
    const resp = await activate(page, `main a[href="/persons/${pid}/case/outcome"]`, { what: 'the link to the outcome form' });
    check(resp && resp.status() === 200, `the outcome form answered HTTP ${resp && resp.status()}`);
    await audit(officer, 'outcome form');
    await typeInto(page, 'started_on', OUTCOME.started);
    await choose(page, 'form', OUTCOME.form);
    await choose(page, 'measure', OUTCOME.measure);
    await typeInto(page, 'employer', '');
    await typeInto(page, 'contract_months', OUTCOME.contract);
    await typeInto(page, 'monthly_wage', OUTCOME.wage);
    await choose(page, 'insured', OUTCOME.insured);
    state = await saveStep(officer, pid, 'outcomes', 'outcome');
    check(state.outcomes.length === 1 && state.outcomes[0].head.startsWith(OUTCOME.started), `the outcomes section lists ${JSON.stringify(state.outcomes)}`);
    const lines = state.outcomes[0].lines.join(' | ');
    for (const want of [OUTCOME.formLabel, OUTCOME.measureLabel, DISTRICT_NAME, OUTCOME.contract, OUTCOME.wage, '缴纳社保：是']) {
      check(lines.includes(want), `the outcome does not show ${JSON.stringify(want)}: ${lines}`);
    }
    const status = Object.values(state.facts).join(' | ');
    check(status.includes('已就业'), `after the outcome the case's facts do not read 已就业: ${status}`);
    check(state.outcomes[0].followUp, 'the new outcome offers no follow-up form');
    return lines;
  });

  await step(`/progress counts it once: ${OUTCOME.year}, ${DISTRICT_NAME}, ${OUTCOME.measureLabel}`, async () => {
    await visit(officer, '/progress', { label: 'progress (after)' });
    const after = await progressFigures(officer.page);
    const rows = [
      ['total', before.total, after.total],
      [`${OUTCOME.year}`, before.year[OUTCOME.year], after.year?.[OUTCOME.year]],
      [`${OUTCOME.month}`, before.month[OUTCOME.month], after.month?.[OUTCOME.month]],
      [DISTRICT_NAME, before.district[DISTRICT_NAME], after.district?.[DISTRICT_NAME]],
      [OUTCOME.measureLabel, before.measure[OUTCOME.measureLabel], after.measure?.[OUTCOME.measureLabel]],
      [OUTCOME.formLabel, before.form[OUTCOME.formLabel], after.form?.[OUTCOME.formLabel]],
    ];
    const wrong = rows.filter(([, b, a]) => a !== b + 1);
    check(wrong.length === 0, `expected each to grow by exactly 1: ${wrong.map(([k, b, a]) => `${k} ${b} → ${a}`).join('; ')}`);
    // Other years and measures are unchanged.
    const moved = [];
    for (const [name, key] of [['year', OUTCOME.year], ['measure', OUTCOME.measureLabel]]) {
      for (const [k, v] of Object.entries(after[name] || {})) if (k !== key && before[name][k] !== v) moved.push(`${name} ${k} ${before[name][k]} → ${v}`);
    }
    check(moved.length === 0, `rows the outcome does not belong to changed: ${moved.join('; ')}`);
    return rows.map(([k, b, a]) => `${k} ${b} → ${a}`).join(', ');
  });

  await step('officer records a 3-month follow-up: still employed', async () => {
    const { page } = officer;
    await visit(officer, `/persons/${pid}/case`, { label: 'case (before the follow-up)' });
    await choose(page, 'fu_after_months', FOLLOW_UP.after);
    await typeInto(page, 'fu_checked_on', FOLLOW_UP.date);
    await choose(page, 'fu_still_employed', FOLLOW_UP.still);
    const resp = await activate(page, 'main form[action$="/follow-up"] button[type="submit"]', { what: 'the "保存回访" button' });
    const u = new URL(page.url());
    check(resp && resp.status() === 200 && u.pathname === `/persons/${pid}/case` && u.hash === '#outcomes',
      `saving the follow-up answered HTTP ${resp && resp.status()} at ${shortUrl(page.url())}${await errorText(page)}`);
    await audit(officer, 'case (after the follow-up)');
    state = await caseState(page);
    const line = state.outcomes[0]?.lines.find((l) => l.includes('个月回访'));
    check(line && line.startsWith(`${FOLLOW_UP.after}个月回访`) && line.includes(FOLLOW_UP.date) && line.includes('仍在就业：是'),
      `the outcome's follow-up line reads ${JSON.stringify(line)}, expected "${FOLLOW_UP.after}个月回访（${FOLLOW_UP.date}）…仍在就业：是"`);
    return line;
  });

  await step('officer views the case and its forms in English, then back in Chinese', async () => {
    const { page } = officer;
    await switchLanguage(officer, 'en');
    check(new URL(page.url()).pathname === `/persons/${pid}/case`, `not on the case page: ${shortUrl(page.url())}`);
    state = await caseState(page);
    check(/^Done:? 4 \/ 4/.test(state.progress), `the English case page reads ${JSON.stringify(state.progress)}, expected "Done: 4 / 4"`);
    const caseH1 = await text(page, 'h1');
    const followUpLine = state.outcomes[0]?.lines.find((l) => /follow-up/i.test(l)) ?? '';
    const seen = [];
    for (const [code, anchor] of [['check', 'check'], ['assessment', 'assessment'], ['need', 'need'], ['service', 'service'], ['outcome', 'outcomes']]) {
      await openStepForm(officer, pid, code, `${code} form`);
      seen.push(await text(page, 'h1'));
      if (code === 'check') {
        // Submitted empty: the English error summary, each link to a field.
        await typeInto(page, 'checked_on', '');
        const resp = await activate(page, 'main form button[type="submit"]', { what: 'the check form\'s save button' });
        check(resp && resp.status() === 422, `an empty check answered HTTP ${resp && resp.status()}, expected 422`);
        await audit(officer, 'check form (empty, 422)');
        const errors = await errorSummary(page);
        check(errors && errors.links.length >= 2 && errors.links.every((l) => l.target), `the English error summary is ${JSON.stringify(errors)}, expected links to #checked_on and #fields`);
        check(/[A-Za-z]/.test(errors.title) && !/[\u4e00-\u9fff]/.test(errors.title + errors.links.map((l) => l.text).join('')), `the English error summary has Chinese text: ${JSON.stringify(errors)}`);
        const hrefs = errors.links.map((l) => l.href);
        check(hrefs.includes('#checked_on') && hrefs.includes('#fields'), `the English error summary links to ${hrefs.join(', ')}, expected #checked_on and #fields`);
        seen[seen.length - 1] += ` (empty submit: ${errors.links.map((l) => l.text).join(' / ')})`;
      }
      const back = await activate(page, 'main a.back-link', { what: 'the back link' });
      check(back && back.status() === 200 && new URL(page.url()).pathname === `/persons/${pid}/case` && new URL(page.url()).hash === `#${anchor}`,
        `the ${code} form's back link led to ${shortUrl(page.url())}, expected /persons/${pid}/case#${anchor}`);
      await audit(officer, `case (back from the ${code} form)`);
    }
    await switchLanguage(officer, 'zh');
    const progress = await text(page, 'section[aria-labelledby="progress-title"] p');
    check(/^已完成 4 \/ 4/.test(progress || ''), `back in Chinese the case reads ${JSON.stringify(progress)}`);
    return `"${caseH1}"; forms: ${seen.join('; ')}; follow-up line: "${followUpLine}"`;
  });

  console.log(`case: ${shared.audited} pages audited (${shared.auditedEn} in English) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

// -------------------------------------------------------------------- run --

run(main);
