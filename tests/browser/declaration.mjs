#!/usr/bin/env node
// AbleWork browser check: an annual declaration end to end, by keyboard alone.
//
//   node tests/browser/declaration.mjs [BASE_URL]     (default http://127.0.0.1:18080)
//
// Two people use the running demo at once, each in their own browser context,
// and every form is filled with the keyboard only (Tab / Shift+Tab to move,
// typing, Space for check boxes, arrow keys for selects, Enter to follow a link
// or press a button). The DOM is read only to decide how many Tabs to press and
// to read results.
//
//   1. officer (district 120101) registers two disabled persons at /persons/new,
//      with fresh, valid resident ID numbers (unique per run);
//   2. employer opens its own page, follows "填报年度申报" (or opens the form of
//      the latest data year that is not yet approved), submits once with a
//      month of -5 (expects 422, an error summary linking to the field), fixes
//      it and files: employee 1 for months 1-12 with all three conditions,
//      employee 2 for months 10-12 without social insurance;
//   3. officer finds it in the queue (/declarations) and returns it with a note;
//   4. employer follows "改正并重新提交", retypes what the form does not bring
//      back (certificate numbers), ticks employee 2's insurance, resubmits;
//   5. officer approves it; the status reads 已审核通过;
//   6. the levy on the page equals `ABLEWORK_BIN levy --json` for the same
//      figures, and no page shows a full ID or certificate number;
//   7. the policy what-if page (/quota/what-if) is audited as officer.
// Every page visited is audited with axe-core (WCAG 2.0/2.1 A and AA, as in
// a11y.mjs), plus: HTTP status as expected, <html lang> is Chinese, exactly
// one visible <h1>, no uncaught JavaScript error, no request to another origin.
//
// Output: one line per step, then `declaration: passed` (exit 0) or
// `declaration: FAILED — reason` (exit 1; screenshots in tests/browser/artifacts).
//
// Environment (all optional):
//   ABLEWORK_BIN=path of the ablework binary (default ../../target/release/ablework
//     relative to this script)       DECL_PASSWORD=ablework-demo
//   DECL_TIMEOUT_S=240 (whole run)   DECL_NAV_TIMEOUT_MS=30000
//   CHROMIUM_PATH=/usr/bin/chromium  A11Y_ARTIFACTS=tests/browser/artifacts

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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
  HERE,
  launch,
  login,
  oneLine,
  openSession,
  requireChromium,
  residentId,
  run,
  setCheckbox,
  shortUrl,
  state,
  step,
  summaryList,
  tabTo,
  text,
  typeInto,
  visit,
} from './lib.mjs';

configure({ name: 'declaration', envPrefix: 'DECL', timeoutS: 240, scanIds: false, langTag: false, urlHash: false });
const BIN = path.resolve(process.env.ABLEWORK_BIN || path.join(HERE, '..', '..', 'target', 'release', 'ablework'));

// The figures filed (steps 2 and 4) and given to `ablework levy` (step 6).
const HEADCOUNT = '180';
const SEASONAL = { count: '40', months: '6' };
const TOTAL_WAGES = '16000000';
const SOCIAL_AVERAGE_WAGE = '100000';
const BAD_HEADCOUNT = '-5';
const RETURN_NOTE = '第2名残疾职工未勾选足额缴纳社会保险，请核对后重新提交。';
const LEVY_LABEL = '保障金（元）';
const DECLARED_ON_LABEL = '申报日期';

// ----------------------------------------------------------------- helpers --

/**
 * Two people for this run: birth dates and sequence numbers come from the
 * clock, so every run (and every retry) gets ID numbers no earlier run used.
 * They are 33–41 years old in the data year, so of working age all of it.
 */
function makePeople(dataYear, attempt) {
  const t = Math.floor(Date.now() / 1000) + attempt * 7919;
  const n = t % 499; // 0..498 -> sequences 1..997 (male, odd) and 2..998 (female, even)
  const day = Math.floor(t / 499) % 1400;
  const firstBirthYear = Math.min(1988, dataYear - 37);
  const start = Date.UTC(firstBirthYear, 0, 1);
  const dayMs = 86400000;
  const id1 = residentId('120101', new Date(start + day * dayMs), 2 * n + 1);
  const id2 = residentId('120101', new Date(start + (day + 400) * dayMs), 2 * n + 2);
  const phone = (k) => `139${String((t * 7 + k * 104729) % 100000000).padStart(8, '0')}`;
  return [
    {
      name: '键盘测试甲', id: id1, cert: `${id1}42`, months: 12, // physical, level 2 (counts double)
      street: '劝业场街道', phone: phone(1), hukou: 'urban', education: 'vocational',
      employment_status: 'employed', retirement_group: '',
    },
    {
      name: '键盘测试乙', id: id2, cert: `${id2}13`, months: 3, // vision, level 3
      street: '小白楼街道', phone: phone(2), hukou: 'rural', education: 'senior_secondary',
      employment_status: 'employed', retirement_group: 'female_55',
    },
  ];
}

async function declarationStatus(page) {
  return text(page, 'main p.lead strong');
}

// ------------------------------------------------------------------- steps --

/** Register one person at /persons/new; retries with new numbers if the ID is taken. */
async function registerPerson(s, people, index, dataYear) {
  const { page } = s;
  for (let attempt = 0; attempt < 4; attempt++) {
    const p = people[index];
    state.secrets = people.map((q) => q.id); // the certificate number starts with the ID number
    await visit(s, '/persons/new');
    await typeInto(page, 'name', p.name);
    await typeInto(page, 'id_number', p.id);
    await typeInto(page, 'certificate_number', p.cert);
    await typeInto(page, 'street', p.street);
    await typeInto(page, 'phone', p.phone);
    await choose(page, 'district', '120101');
    await choose(page, 'hukou', p.hukou);
    await choose(page, 'education', p.education);
    await choose(page, 'employment_status', p.employment_status);
    await choose(page, 'retirement_group', p.retirement_group);
    const resp = await activate(page, 'main form button[type="submit"]', { what: 'the save button' });
    const st = resp ? resp.status() : 0;
    const url = new URL(page.url());
    const m = url.pathname.match(/^\/persons\/(\d+)$/);
    if (m && st === 200) {
      await audit(s, `person ${index + 1}`);
      return m[1];
    }
    const errors = await errorSummary(page);
    const fields = errors ? errors.links.map((l) => l.href) : [];
    if (st === 422 && fields.length && fields.every((f) => f === '#id_number' || f === '#certificate_number')) {
      // Taken by an earlier run in the same second, most likely: new numbers.
      const fresh = makePeople(dataYear, attempt + 1 + index * 10);
      people[index] = { ...p, id: fresh[index].id, cert: fresh[index].cert };
      continue;
    }
    fail(`registering person ${index + 1}: HTTP ${st} at ${shortUrl(page.url())}${errors ? `: ${errors.links.map((l) => `${l.href} ${l.text}`).join('; ')}` : ''}`);
  }
  fail(`registering person ${index + 1}: ID numbers rejected 4 times`);
}

/**
 * Fill the declaration form by keyboard; fields already holding the wanted
 * value are left alone. Returns the names of the fields it typed into.
 */
async function fillDeclaration(page, { year, people, insured2, firstMonth = HEADCOUNT }) {
  const typed = [];
  const t = async (id, v) => {
    if (await typeInto(page, id, v)) typed.push(id);
  };
  const c = async (id, v) => {
    if (await setCheckbox(page, id, v)) typed.push(id);
  };
  await t('data_year', String(year));
  for (let m = 0; m < 12; m++) await t(`monthly_headcount_${m}`, m === 0 ? firstMonth : HEADCOUNT);
  await t('seasonal_0_count', SEASONAL.count);
  await t('seasonal_0_months', SEASONAL.months);
  await t('total_wages', TOTAL_WAGES);
  await t('social_average_wage', SOCIAL_AVERAGE_WAGE);
  const rows = [
    { p: people[0], from: '1', to: '12', contract: true, wage: true, insured: true },
    { p: people[1], from: '10', to: '12', contract: true, wage: true, insured: insured2 },
  ];
  for (const [i, r] of rows.entries()) {
    await t(`employees_${i}_certificate`, r.p.cert);
    await t(`employees_${i}_from_month`, r.from);
    await t(`employees_${i}_to_month`, r.to);
    await c(`employees_${i}_contract_ok`, r.contract);
    await c(`employees_${i}_min_wage_ok`, r.wage);
    await c(`employees_${i}_insured_ok`, r.insured);
  }
  // Nothing else may be filled in (rows left over from an earlier run, say).
  const extra = await page.$$eval('main form input[type="text"]', (els) =>
    els.filter((e) => /^(employees_([2-9]|\d\d+)_|seasonal_([1-9]|\d\d+)_)/.test(e.id) && e.value.trim() !== '').map((e) => e.id),
  );
  for (const id of extra) await t(id, '');
  return typed;
}

const SUBMIT = 'main form button[type="submit"]:not([name])';
const SUBMIT_OPTS = { text: '提交申报', what: 'the "提交申报" button' };

/**
 * What a form brings back must be blank or what was filed: a wrong value
 * would otherwise be silently overwritten by fillDeclaration. Check boxes may
 * come back all clear (not brought back) only if `blankChecks`.
 */
function checkBroughtBack(where, got, { year, insured2, months, blankChecks }) {
  const wrong = [];
  const same = (name, v, want) => {
    if (v !== '' && v !== null && v !== want) wrong.push(`${name}=${JSON.stringify(v)} (filed ${JSON.stringify(want)})`);
  };
  same('data_year', got.year, String(year));
  got.months.forEach((v, m) => same(`monthly_headcount_${m}`, v, m === 0 ? months[0] : HEADCOUNT));
  same('seasonal_0_count', got.seasonal[0], SEASONAL.count);
  same('seasonal_0_months', got.seasonal[1], SEASONAL.months);
  same('total_wages', got.wages[0], TOTAL_WAGES);
  same('social_average_wage', got.wages[1], SOCIAL_AVERAGE_WAGE);
  const filed = [
    { from: '1', to: '12', checks: [true, true, true] },
    { from: '10', to: '12', checks: [true, true, insured2] },
  ];
  filed.forEach((f, i) => {
    same(`employees_${i}_from_month`, got.rows[i].from, f.from);
    same(`employees_${i}_to_month`, got.rows[i].to, f.to);
    const c = got.rows[i].checks;
    const clear = c.every((x) => x === false);
    if (c.join() !== f.checks.join() && !(blankChecks && clear)) wrong.push(`employee ${i + 1}'s check boxes ${JSON.stringify(c)} (filed ${JSON.stringify(f.checks)})`);
  });
  check(wrong.length === 0, `${where} brings back values that were not filed: ${wrong.join('; ')}`);
}

/** Read the form's state that the product brought back (for the report and checks). */
async function formState(page) {
  return page.evaluate(() => {
    const v = (id) => document.getElementById(id)?.value ?? null;
    const c = (id) => document.getElementById(id)?.checked ?? null;
    return {
      year: v('data_year'),
      months: Array.from({ length: 12 }, (_, m) => v(`monthly_headcount_${m}`)),
      seasonal: [v('seasonal_0_count'), v('seasonal_0_months')],
      wages: [v('total_wages'), v('social_average_wage')],
      rows: [0, 1].map((i) => ({
        cert: v(`employees_${i}_certificate`),
        from: v(`employees_${i}_from_month`),
        to: v(`employees_${i}_to_month`),
        checks: [c(`employees_${i}_contract_ok`), c(`employees_${i}_min_wage_ok`), c(`employees_${i}_insured_ok`)],
      })),
      refileHint: !!document.querySelector('main .panel'),
    };
  });
}

async function main() {
  const started = Date.now();
  requireChromium();
  check(fs.existsSync(BIN), `no ablework binary at ${BIN} (cargo build --release -p ablework_cli, or set ABLEWORK_BIN)`);
  console.log(`declaration: ${cfg.ORIGIN}, levy checked with ${BIN}`);

  await launch();
  const officer = await openSession('officer');
  const employer = await openSession('employer');

  await step('officer and employer log in by keyboard', async () => {
    await Promise.all([login(officer), login(employer)]);
    return `${shortUrl(officer.page.url())}, ${shortUrl(employer.page.url())}`;
  });

  // Which data year: the one the page offers, else the latest with nothing approved.
  let employerId;
  let year;
  let offered = null;
  await step('employer picks a data year with no approved declaration', async () => {
    const resp = await visit(employer, '/employers', { label: 'own employer page' });
    const m = new URL(employer.page.url()).pathname.match(/^\/employers\/(\d+)$/);
    check(m, `/employers did not lead to the employer's own page (${shortUrl(employer.page.url())}, HTTP ${resp && resp.status()})`);
    employerId = m[1];
    const info = await employer.page.evaluate(() => {
      const link = [...document.querySelectorAll('main a[href*="/declarations/new?year="]')].find((a) => a.textContent.includes('填报年度申报'));
      const rows = [...document.querySelectorAll('main table tbody tr')].map((tr) => ({
        year: Number.parseInt(tr.querySelector('th')?.textContent ?? '', 10),
        status: tr.querySelectorAll('td')[1]?.textContent.trim() ?? '',
      }));
      return { link: link ? Number.parseInt(new URL(link.href).searchParams.get('year'), 10) : null, rows };
    });
    offered = info.link;
    const approved = new Set(info.rows.filter((r) => r.status === '已审核通过').map((r) => r.year));
    const filed = new Set(info.rows.map((r) => r.year));
    const thisYear = new Date().getFullYear();
    const candidates = [];
    if (offered) candidates.push(offered);
    for (let y = thisYear - 1; y >= 2000; y--) candidates.push(y);
    // Prefer a year with no declaration at all, else one that is not approved.
    year = candidates.find((y) => !filed.has(y)) ?? candidates.find((y) => !approved.has(y));
    check(year, `every data year from 2000 to ${thisYear - 1} is approved for employer ${employerId}`);
    if (offered && approved.has(offered)) fail(`the page offers "填报年度申报：${offered}" but ${offered} is already approved`);
    return `employer ${employerId}, data year ${year}${offered === year ? ' (the year the page offers)' : offered ? ` (page offers ${offered}, already filed)` : ' (page offers none: last year approved)'}`;
  });

  const people = makePeople(year, 0);
  const personIds = [];
  await step('officer registers two disabled persons in 120101 by keyboard', async () => {
    for (let i = 0; i < 2; i++) {
      personIds.push(await registerPerson(officer, people, i, year));
    }
    return `/persons/${personIds[0]} (${people[0].cert.slice(0, 6)}…${people[0].cert.slice(-2)}), /persons/${personIds[1]} (${people[1].cert.slice(0, 6)}…${people[1].cert.slice(-2)})`;
  });

  let declId;
  await step('employer files: a bad month first (422, error summary), then the declaration', async () => {
    const { page } = employer;
    if (offered === year) {
      await visit(employer, `/employers/${employerId}`, { label: 'own employer page' });
      const resp = await activate(page, `main a[href="/employers/${employerId}/declarations/new?year=${year}"]`, {
        text: '填报年度申报',
        what: `the link "填报年度申报：${year}"`,
      });
      check(resp && resp.status() === 200, `the declaration form answered HTTP ${resp && resp.status()}`);
      await audit(employer, 'declaration form');
    } else {
      await visit(employer, `/employers/${employerId}/declarations/new?year=${year}`, { label: 'declaration form' });
    }
    await fillDeclaration(page, { year, people, insured2: false, firstMonth: BAD_HEADCOUNT });
    let resp = await activate(page, SUBMIT, SUBMIT_OPTS);
    check(resp && resp.status() === 422, `a January headcount of ${BAD_HEADCOUNT} answered HTTP ${resp && resp.status()} at ${shortUrl(page.url())}, expected 422`);
    // The form echoes what was typed, certificate numbers included: not checked for masking.
    await audit(employer, 'declaration form after a bad submit', { masked: false });
    const errors = await errorSummary(page);
    check(errors, 'the 422 page has no error summary');
    check(errors.role === 'alert' && errors.tabindex === '-1', `the error summary has role=${errors.role} tabindex=${errors.tabindex}, expected alert / -1`);
    check(errors.links.length === 1 && errors.links[0].href === '#monthly_headcount_0', `the error summary links to ${JSON.stringify(errors.links.map((l) => l.href))}, expected only #monthly_headcount_0`);
    check(errors.links.every((l) => l.target), 'an error summary link points at no element');
    const field = await page.$eval('#monthly_headcount_0', (el) => ({
      invalid: el.getAttribute('aria-invalid'),
      describedBy: el.getAttribute('aria-describedby'),
      value: el.value,
      message: document.getElementById('monthly_headcount_0-error')?.textContent.trim() ?? null,
    }));
    check(field.invalid === 'true' && field.describedBy === 'monthly_headcount_0-error' && field.message, `#monthly_headcount_0 is not marked invalid with its message (${JSON.stringify(field)})`);
    // Everything typed must come back, except perhaps the certificate numbers.
    const kept = await formState(page);
    checkBroughtBack('the form after a bad submit', kept, { year, insured2: false, months: [BAD_HEADCOUNT], blankChecks: false });
    check(kept.months.slice(1).every((v) => v === HEADCOUNT) && kept.rows[1].from === '10' && kept.wages[0] === TOTAL_WAGES,
      `the form after a bad submit lost what was typed: ${JSON.stringify(kept)}`);
    // Keyboard: the summary's link takes you to the field.
    await tabTo(page, '.error-summary a[href="#monthly_headcount_0"]', { what: 'the error summary link' });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#monthly_headcount_0');
    let at = await activeInfo(page);
    let via = 'Enter on the link focused it';
    if (!at || at.id !== 'monthly_headcount_0') {
      await page.keyboard.press('Tab'); // focus starting point moved to the target
      at = await activeInfo(page);
      via = 'Enter on the link, then Tab';
    }
    check(at && at.id === 'monthly_headcount_0', `the error summary link did not lead the keyboard to the field (focus on ${JSON.stringify(at)})`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(HEADCOUNT);
    const retyped = await fillDeclaration(page, { year, people, insured2: false });
    check(retyped.every((id) => /^employees_\d+_certificate$/.test(id)), `after the fix, fields still differed: ${retyped.join(', ')}`);
    resp = await activate(page, SUBMIT, SUBMIT_OPTS);
    const m = new URL(page.url()).pathname.match(/^\/declarations\/(\d+)$/);
    check(m && new URL(page.url()).searchParams.get('saved') === '1' && resp.status() === 200,
      `submitting landed on ${shortUrl(page.url())} (HTTP ${resp && resp.status()}), expected /declarations/{id}?saved=1${await errorText(page)}`);
    declId = m[1];
    await audit(employer, 'declaration (submitted)');
    const st = await declarationStatus(page);
    check(st === '待审核', `status reads ${JSON.stringify(st)}, expected 待审核`);
    return `/declarations/${declId}, status ${st}; error link → field: ${via}${retyped.length ? `; retyped after the 422: ${retyped.join(', ')}` : ''}`;
  });

  await step('officer finds it in the queue and returns it with a note', async () => {
    const { page } = officer;
    await visit(officer, '/declarations', { label: 'queue' });
    const link = `main table a[href="/declarations/${declId}"]`;
    let how = 'first page of the queue';
    if (!(await page.$(link))) {
      // Narrow the queue to the year, by keyboard.
      await typeInto(page, 'year', String(year));
      const r = await activate(page, 'main form.filters button[type="submit"]', { what: 'the queue\'s search button' });
      check(r && r.status() === 200, `the queue filter answered HTTP ${r && r.status()}`);
      await audit(officer, `queue, year ${year}`);
      how = `queue filtered to ${year}`;
      for (let n = 2; !(await page.$(link)); n++) {
        check(n <= 50 && (await page.$('a[rel="next"]')), `declaration ${declId} is not in the queue (status 待审核, year ${year})`);
        const rn = await activate(page, 'a[rel="next"]', { what: 'the next-page link' });
        check(rn && rn.status() === 200, `the queue's page ${n} answered HTTP ${rn && rn.status()}`);
        await audit(officer, `queue page ${n}`);
        how = `queue filtered to ${year}, page ${n}`;
      }
    }
    let resp = await activate(page, link, { what: `the queue's link to declaration ${declId}` });
    check(resp && resp.status() === 200, `declaration ${declId} answered HTTP ${resp && resp.status()}`);
    await audit(officer, 'declaration (to review)');
    await tabTo(page, '#note');
    await page.keyboard.type(RETURN_NOTE);
    resp = await activate(page, 'main form button[name="decision"][value="return"]', { text: '退回修改', what: 'the "退回修改" button' });
    check(resp && resp.status() === 200 && /^\/declarations\/\d+$/.test(new URL(page.url()).pathname),
      `returning answered HTTP ${resp && resp.status()} at ${shortUrl(page.url())}${await errorText(page)}`);
    await audit(officer, 'declaration (returned)');
    const st = await declarationStatus(page);
    check(st === '已退回', `status reads ${JSON.stringify(st)} after returning, expected 已退回`);
    const note = await page.$$eval('main table td', (tds) => tds.some((td) => td.textContent.includes('未勾选足额缴纳社会保险')));
    check(note, 'the return note is not in the history');
    return `found via ${how}; status ${st}`;
  });

  let prefill;
  await step('employer corrects and resubmits (insurance ticked for employee 2)', async () => {
    const { page } = employer;
    await visit(employer, `/declarations/${declId}`, { label: 'declaration (returned)' });
    const st = await declarationStatus(page);
    check(st === '已退回', `the employer sees status ${JSON.stringify(st)}, expected 已退回`);
    let resp = await activate(page, `main a[href="/employers/${employerId}/declarations/new?year=${year}"]`, {
      text: '改正并重新提交',
      what: 'the link "改正并重新提交"',
    });
    check(resp && resp.status() === 200, `the correction form answered HTTP ${resp && resp.status()}`);
    await audit(employer, 'declaration form (correction)');
    prefill = await formState(page);
    check(prefill.refileHint, 'the correction form shows no hint that certificate numbers must be typed again');
    check(prefill.rows[0].cert === '' && prefill.rows[1].cert === '', 'the correction form brings back certificate numbers (expected blank, for privacy)');
    checkBroughtBack('the correction form', prefill, { year, insured2: false, months: [HEADCOUNT], blankChecks: true });
    const typed = await fillDeclaration(page, { year, people, insured2: true });
    resp = await activate(page, SUBMIT, SUBMIT_OPTS);
    check(resp && resp.status() === 200 && new URL(page.url()).pathname === `/declarations/${declId}`,
      `resubmitting landed on ${shortUrl(page.url())} (HTTP ${resp && resp.status()}), expected /declarations/${declId}?saved=1${await errorText(page)}`);
    await audit(employer, 'declaration (resubmitted)');
    const st2 = await declarationStatus(page);
    check(st2 === '待审核', `status reads ${JSON.stringify(st2)} after resubmitting, expected 待审核`);
    const back = [];
    if (prefill.months.every((v) => v === HEADCOUNT)) back.push('months');
    if (prefill.seasonal.join('/') === `${SEASONAL.count}/${SEASONAL.months}`) back.push('seasonal');
    if (prefill.wages.join('/') === `${TOTAL_WAGES}/${SOCIAL_AVERAGE_WAGE}`) back.push('wages');
    if (prefill.rows[1].from === '10' && prefill.rows[1].to === '12' && prefill.rows[1].checks.join() === 'true,true,false') back.push('employee months and check boxes');
    return `form brought back: ${back.join(', ') || 'nothing'}; typed: ${typed.join(', ')}`;
  });

  let pageLevy;
  let declaredOn;
  await step('officer approves it', async () => {
    const { page } = officer;
    await visit(officer, `/declarations/${declId}`, { label: 'declaration (resubmitted)' });
    const resp = await activate(page, 'main form button[name="decision"][value="approve"]', { text: '审核通过', what: 'the "审核通过" button' });
    check(resp && resp.status() === 200 && /^\/declarations\/\d+$/.test(new URL(page.url()).pathname),
      `approving answered HTTP ${resp && resp.status()} at ${shortUrl(page.url())}${await errorText(page)}`);
    await audit(officer, 'declaration (approved)');
    const st = await declarationStatus(page);
    check(st === '已审核通过', `status reads ${JSON.stringify(st)} after approving, expected 已审核通过`);
    check(!(await page.$('button[name="decision"]')), 'the review buttons are still offered on an approved declaration');
    const summary = await summaryList(page, '');
    pageLevy = summary[LEVY_LABEL];
    declaredOn = summary[DECLARED_ON_LABEL];
    check(pageLevy && /^\d{1,3}(,\d{3})*\.\d{2}$/.test(pageLevy), `"${LEVY_LABEL}" reads ${JSON.stringify(pageLevy)}, expected like 123,456.78`);
    check(declaredOn && /^\d{4}-\d{2}-\d{2}$/.test(declaredOn), `"${DECLARED_ON_LABEL}" reads ${JSON.stringify(declaredOn)}, expected YYYY-MM-DD`);
    const counted = await page.$$eval('main section[aria-labelledby="employees-title"] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
    );
    check(counted.length === 2 && counted.every((r) => r[r.length - 1] === '是'), `the employees table should list 2 employees, both counted: ${JSON.stringify(counted)}`);
    check(counted.every((r) => /\*{4,}/.test(r[0])), `certificate numbers are not masked in the employees table: ${JSON.stringify(counted.map((r) => r[0]))}`);
    return `status ${st}, levy ${pageLevy}, declared on ${declaredOn}`;
  });

  await step('levy on the page equals `ablework levy --json`', async () => {
    const input = {
      policy: 'tianjin-2022-2024',
      declared_on: declaredOn,
      employer_kind: 'enterprise',
      monthly_headcount: Array(12).fill(HEADCOUNT),
      seasonal: [{ count: Number(SEASONAL.count), months: Number(SEASONAL.months) }],
      total_wages: TOTAL_WAGES,
      social_average_wage: SOCIAL_AVERAGE_WAGE,
      disabled_employees: people.map((p) => ({ certificate: p.cert, months: p.months })),
    };
    const run = spawnSync(BIN, ['levy', '--json'], { input: JSON.stringify(input), encoding: 'utf8', timeout: 30000 });
    check(!run.error, `running ${BIN}: ${run.error && run.error.message}`);
    check(run.status === 0, `ablework levy --json exited ${run.status}: ${(run.stderr || run.stdout || '').trim().slice(0, 300)}`);
    let out;
    try {
      out = JSON.parse(run.stdout);
    } catch (e) {
      fail(`ablework levy --json printed no JSON: ${oneLine(e)}: ${run.stdout.slice(0, 200)}`);
    }
    const shown = pageLevy.replace(/,/g, '');
    check(out.levy === shown, `the page shows levy ${pageLevy} but ablework levy --json says ${out.levy} (counted ${out.counted}, headcount ${out.headcount}, factor ${out.factor})`);
    // The employer's own page lists the approved year with the same levy.
    await visit(employer, `/employers/${employerId}`, { label: 'own employer page (after approval)' });
    const row = await employer.page.evaluate((id) => {
      const a = document.querySelector(`main table a[href="/declarations/${id}"]`);
      const tds = a ? [...a.closest('tr').querySelectorAll('td')].map((td) => td.textContent.trim()) : null;
      return tds;
    }, declId);
    check(row && row[1] === '已审核通过' && row[row.length - 1] === pageLevy, `the employer page's row for ${year} reads ${JSON.stringify(row)}, expected 已审核通过 and ${pageLevy}`);
    return `levy ${out.levy} (headcount ${out.headcount}, counted ${out.counted}, factor ${out.factor}); no page showed a full ID or certificate number`;
  });

  await step('officer opens the policy what-if page', async () => {
    await visit(officer, '/quota/what-if?year=2024&policy=tianjin-2022-2024', { label: 'what-if' });
    const facts = await officer.page.evaluate(() => ({
      charts: document.querySelectorAll('main svg[role="img"]').length,
      tables: document.querySelectorAll('main table').length,
    }));
    check(facts.charts >= 1 && facts.tables >= 1, `the what-if page has ${facts.charts} charts and ${facts.tables} tables, expected at least one of each`);
    return `${facts.charts} chart(s), ${facts.tables} table(s)`;
  });

  console.log(`declaration: ${state.audited} pages audited in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

// -------------------------------------------------------------------- run --

run(main);
