#!/usr/bin/env node
// AbleWork browser check: the job-matching loop end to end, by keyboard alone.
//
//   node tests/browser/jobs.mjs [BASE_URL]     (default http://127.0.0.1:18080)
//
// Three demo accounts use the running demo, each in its own browser context,
// and every form is filled with the keyboard only (Tab / Shift+Tab to move,
// typing, Space for check boxes, arrow keys for selects and radio groups,
// Enter to follow a link, open a <details> or press a button). The DOM is
// read only to decide how many Tabs to press and to read results; page.goto
// is used only to open a known URL.
//
//   1. employer (HR of the demo employer), seeker (a job seeker with a
//      person record) and admin log in by keyboard;
//   2. the employer follows "本单位" to its page and reads the hires through
//      AbleWork this year (#hires-count) and the people it is still short
//      (#projected-shortfall, recounted with this year's hires, else
//      #declared-shortfall) when it is short;
//   3. the seeker follows "查看我的登记信息" to their record and reads what the
//      matching reads of them: district, education, accommodations needed,
//      current recommendations and, from the case page, the registered need
//      and the approved assessment's limitations. Matching recommends jobs
//      only to active records of working age: when the seeker's is not (the
//      demo's seed 7 links the seeker to a person past working age), a line
//      `note: …` says so and the officer (district 120101) acts for a person
//      instead: the first unemployed person of the district with an approved
//      assessment and a registered need (preferring one with a limitation to
//      accommodate), read the same way (JOBS_REQUIRE_SEEKER=1 fails instead);
//   4. the employer closes any posting an earlier failed run left open, then
//      posts a job designed from that (unique title per run): the occupation
//      wanted, a district they accept (home if possible), the hours wanted,
//      more than the wage expected, no skills or education required, a
//      reserved post, every accommodation they need, and, when they have a
//      limitation, a demand that conflicts with it with the accommodations
//      that cover it;
//   5. on the person's record the job is recommended with the best score;
//      Enter on "为什么推荐" opens the explanation: the seven factors, adding up
//      to the score, and the covered conflict;
//   6. its link leads to the posting; the match result page (by a link if
//      there is one, else the posting's "why not" form for staff, else by
//      URL) lists every factor; the seeker applies from the posting (已申请),
//      or the officer applies for the person from the recommendation (已推荐);
//   7. the record, the match result and the posting in English (header's
//      "English" link), then back to Chinese;
//   8. the employer opens the posting and moves the application along:
//      面试 → 录用通知 → 已入职, each dated today; the posting (one post) closes;
//   9. the admin's view of the case shows one more outcome: started today,
//      quota employment at the employer, the posting's wage; the person's
//      record reads 已入职 and no longer recommends the closed posting;
//  10. the employer's hire count grew by exactly 1, and the people it is
//      still short, if it was short, fell or the shortfall disappeared;
//  11. the employer audits the posting and its own page in English.
// Every page visited is audited with axe-core (WCAG 2.0/2.1 A and AA, as in
// a11y.mjs), plus: HTTP status as expected, <html lang> is the language in
// use, exactly one visible <h1>, no uncaught JavaScript error, no request to
// another origin, and no full resident ID number on any page.
//
// Output: one line per step, then `jobs: passed` (exit 0) or
// `jobs: FAILED — reason` (exit 1; screenshots in tests/browser/artifacts).
// It can run any number of times against the same database: every run posts
// a job with a new title (an earlier run's posting still open is closed
// first), applications are per posting, and the counts are compared before
// and after. An already employed seeker is still recommended jobs and may be
// hired again; the officer chooses a person still unemployed.
//
// Environment (all optional):
//   JOBS_PASSWORD=ablework-demo      JOBS_TIMEOUT_S=240 (whole run)
//   JOBS_NAV_TIMEOUT_MS=30000        CHROMIUM_PATH=/usr/bin/chromium
//   A11Y_ARTIFACTS=tests/browser/artifacts   JOBS_REQUIRE_SEEKER=1

import {
  activate,
  audit,
  cfg,
  check,
  chinaToday,
  choose,
  chooseRadio,
  configure,
  errorText,
  fail,
  launch,
  login,
  openSession,
  run,
  setCheckbox,
  shortUrl,
  state,
  step,
  summaryList,
  switchLanguage,
  tabTo,
  text,
  tickExactly,
  typeInto,
  visit,
} from './lib.mjs';

configure({ name: 'jobs', envPrefix: 'JOBS', timeoutS: 240 });

const TITLE_PREFIX = '键盘匹配测试岗位';
const FACTORS_ZH = ['职业意向', '技能', '文化程度', '工作时间', '薪酬', '通勤', '残疾人专岗'];
const FACTORS_EN = ['Occupation', 'Skills', 'Education', 'Hours', 'Wage', 'Travel', 'Reserved post'];
const STATUS = { applied: '已申请', interview: '面试', offer: '录用通知', hired: '已入职' };

// What each demand loads and from which limitation it conflicts
// (occasional, frequent), and which accommodations cover a conflict: copies
// of DEMAND_LOADS and COVERS in crates/ablework_domain/src/matching.rs, to
// design a job whose demand conflicts with the person's limitation and is
// covered, never excluded.
const RANK = { none: 0, mild: 1, moderate: 2, severe: 3 };
const DEMAND_LOADS = [
  ['standing', ['mobility', 'stamina'], 'severe', 'moderate'],
  ['walking', ['mobility', 'stamina'], 'severe', 'moderate'],
  ['lifting', ['mobility', 'stamina'], 'moderate', 'moderate'],
  ['fine_motor', ['fine_motor'], 'severe', 'moderate'],
  ['vision', ['vision'], 'severe', 'moderate'],
  ['hearing', ['hearing'], 'severe', 'moderate'],
  ['speech', ['speech'], 'severe', 'moderate'],
  ['reading', ['vision', 'cognition'], 'severe', 'moderate'],
  ['phone_use', ['hearing', 'speech'], 'severe', 'moderate'],
  ['interpersonal', ['hearing', 'speech', 'cognition'], 'severe', 'moderate'],
  ['time_pressure', ['cognition', 'stamina'], 'severe', 'moderate'],
];
// [demand, function, up to level, up to limitation, covered by any of]
const COVERS = [
  ['standing', 'mobility', 'occasional', 'severe', ['adjusted_workstation']],
  ['standing', 'stamina', 'occasional', 'severe', ['adjusted_workstation', 'flexible_hours']],
  ['walking', 'mobility', 'occasional', 'severe', ['step_free']],
  ['walking', 'stamina', 'occasional', 'severe', ['flexible_hours']],
  ['lifting', 'mobility', 'occasional', 'moderate', ['adjusted_workstation']],
  ['lifting', 'stamina', 'occasional', 'moderate', ['adjusted_workstation']],
  ['fine_motor', 'fine_motor', 'occasional', 'severe', ['adjusted_workstation']],
  ['fine_motor', 'fine_motor', 'frequent', 'moderate', ['adjusted_workstation']],
  ['vision', 'vision', 'occasional', 'severe', ['screen_reader']],
  ['vision', 'vision', 'frequent', 'moderate', ['screen_reader']],
  ['hearing', 'hearing', 'frequent', 'severe', ['sign_language']],
  ['hearing', 'hearing', 'occasional', 'severe', ['written_instructions']],
  ['hearing', 'hearing', 'frequent', 'moderate', ['written_instructions']],
  ['speech', 'speech', 'frequent', 'severe', ['sign_language']],
  ['speech', 'speech', 'occasional', 'severe', ['written_instructions']],
  ['reading', 'vision', 'frequent', 'severe', ['screen_reader']],
  ['reading', 'cognition', 'occasional', 'severe', ['job_coach']],
  ['reading', 'cognition', 'frequent', 'moderate', ['job_coach']],
  ['phone_use', 'hearing', 'frequent', 'severe', ['sign_language']],
  ['phone_use', 'hearing', 'occasional', 'severe', ['written_instructions']],
  ['phone_use', 'speech', 'frequent', 'severe', ['sign_language']],
  ['phone_use', 'speech', 'occasional', 'severe', ['written_instructions']],
  ['interpersonal', 'hearing', 'frequent', 'severe', ['sign_language']],
  ['interpersonal', 'hearing', 'occasional', 'severe', ['written_instructions']],
  ['interpersonal', 'speech', 'frequent', 'severe', ['sign_language']],
  ['interpersonal', 'speech', 'occasional', 'severe', ['written_instructions']],
  ['interpersonal', 'cognition', 'occasional', 'severe', ['job_coach']],
  ['interpersonal', 'cognition', 'frequent', 'moderate', ['job_coach']],
  ['time_pressure', 'cognition', 'occasional', 'severe', ['job_coach', 'quiet_space']],
  ['time_pressure', 'cognition', 'frequent', 'moderate', ['job_coach', 'quiet_space']],
  ['time_pressure', 'stamina', 'occasional', 'severe', ['flexible_hours']],
  ['time_pressure', 'stamina', 'frequent', 'moderate', ['flexible_hours']],
];

/**
 * A demand (with its level) that conflicts with at least one of the
 * person's limitations, every conflict covered: {demand, level, conflicts:
 * [{fn, limitation, by}]}, or null.
 */
function coveredConflict(functions) {
  for (const level of ['occasional', 'frequent']) {
    for (const [demand, fns, occasionalFrom, frequentFrom] of DEMAND_LOADS) {
      const from = RANK[level === 'occasional' ? occasionalFrom : frequentFrom];
      const conflicts = fns.filter((fn) => RANK[functions[fn] ?? 'none'] >= from).map((fn) => {
        const row = COVERS.find(([d, f, upTo, upToLim]) => d === demand && f === fn && (level === 'occasional' || upTo === 'frequent') && RANK[functions[fn]] <= RANK[upToLim]);
        return { fn, limitation: functions[fn], by: row ? row[4][0] : null };
      });
      if (conflicts.length && conflicts.every((c) => c.by)) return { demand, level, conflicts };
    }
  }
  return null;
}

// Words a need names occupations with and their ISCO-08 sub-major group (a
// copy of OCCUPATION_WORDS in crates/ablework_app/src/recommendations.rs),
// used only when no current recommendation names the occupation wanted.
const OCCUPATION_WORDS = [
  ['按摩', '32'], ['推拿', '32'], ['客服', '42'], ['接线', '42'], ['调律', '73'], ['手工', '73'], ['编织', '73'],
  ['设计', '21'], ['面点', '75'], ['烘焙', '75'], ['缝纫', '75'], ['数据录入', '41'], ['录入', '41'], ['文员', '41'],
  ['打字', '41'], ['仓储', '43'], ['分拣', '43'], ['理货', '43'], ['会计', '24'], ['出纳', '43'], ['网店', '52'],
  ['销售', '52'], ['收银', '52'], ['保洁', '91'], ['清洁', '91'], ['洗车', '91'], ['包装', '93'], ['装配', '82'],
  ['绿化', '92'], ['园艺', '92'], ['图书', '44'], ['保安', '54'], ['程序', '25'], ['软件', '25'],
];
const FUNCTION_LABELS = { 行动: 'mobility', 视力: 'vision', 听力: 'hearing', 言语: 'speech', 手部精细动作: 'fine_motor', 认知: 'cognition', 体力耐力: 'stamina' };
const LIMITATION_LABELS = { 无受限: 'none', 轻度受限: 'mild', 中度受限: 'moderate', 重度受限: 'severe' };

// ----------------------------------------------------------------- readers --

const clean = (t) => (t || '').trim().replace(/\s+/g, ' ');

/** The recommended jobs on a person's page, each with its factors. */
async function recommendations(page) {
  return page.evaluate(() => {
    const clean = (t) => (t || '').trim().replace(/\s+/g, ' ');
    const section = document.querySelector('section[aria-labelledby="recommended-title"]');
    if (!section) return null;
    return {
      notes: [...section.querySelectorAll(':scope > p:not(.field__hint)')].map((p) => clean(p.textContent)),
      jobs: [...section.querySelectorAll('ol.match-list > li.match')].map((li) => {
        const a = li.querySelector('h3 a');
        const scoreText = clean(li.querySelector('p strong')?.textContent);
        return {
          title: clean(li.querySelector('h3')?.textContent),
          href: a ? a.getAttribute('href') : null,
          detail: clean(li.querySelector(':scope > p')?.textContent),
          score: Number((scoreText.match(/(\d+)\s*$/) || [])[1]),
          factors: [...li.querySelectorAll('details > ul:first-of-type > li')].map((x) => clean(x.textContent)),
          accommodated: [...li.querySelectorAll('details > p + ul > li')].map((x) => clean(x.textContent)),
          open: !!li.querySelector('details')?.open,
          links: [...li.querySelectorAll('a')].map((x) => x.getAttribute('href')),
          apply: !!li.querySelector('form[action$="/applications"] button'),
        };
      }),
    };
  });
}

/** The applications listed on a person's or a posting's page. */
async function applications(page) {
  return page.$$eval('section[aria-labelledby="applications"] li.application', (lis) =>
    lis.map((li) => {
      const clean = (t) => (t || '').trim().replace(/\s+/g, ' ');
      const form = li.querySelector('form[action^="/applications/"]');
      return {
        heading: clean(li.querySelector('h3')?.textContent),
        href: li.querySelector('h3 a')?.getAttribute('href') ?? null,
        status: clean(li.querySelector('p strong')?.textContent),
        steps: [...li.querySelectorAll('ol.application-steps > li')].map((x) => clean(x.textContent)),
        id: form ? form.getAttribute('action').match(/\/applications\/(\d+)\//)?.[1] ?? null : null,
        next: form ? [...form.querySelectorAll('select[name="status"] option')].map((o) => o.value) : [],
      };
    }),
  );
}

/** Entries of one section of the case page: head line and lines. */
async function caseEntries(page, section) {
  return page.$$eval(`section[aria-labelledby="${section}"] ol.timeline > li`, (lis) =>
    lis.map((li) => {
      const clean = (t) => (t || '').trim().replace(/\s+/g, ' ');
      return {
        head: clean(li.querySelector('p')?.textContent),
        lines: [...li.querySelectorAll(':scope > ul > li')].map((x) => clean(x.textContent)),
      };
    }),
  );
}

/** What the employer page says of hires this year and of the shortfall. */
async function employerStanding(page) {
  return page.evaluate(() => {
    const clean = (t) => (t || '').trim().replace(/\s+/g, ' ');
    const num = (t) => {
      const m = clean(t).replace(/,/g, '').match(/-?\d+(\.\d+)?/);
      return m ? Number(m[0]) : null;
    };
    const hiresEl = document.getElementById('hires-count');
    let hires = null;
    let hiresText;
    let hiresFrom;
    if (hiresEl) {
      hiresText = clean(hiresEl.textContent);
      hires = num(hiresText);
      hiresFrom = '#hires-count';
    } else {
      const p = [...document.querySelectorAll('section[aria-labelledby="standing"] p')].find((x) => /AbleWork/.test(x.textContent));
      hiresText = clean(p?.textContent);
      const m = hiresText.match(/(\d{4})\s*年\s*(\d+)\s*人/) || hiresText.match(/(\d{4}):\s*(\d+)/);
      hires = m ? Number(m[2]) : null;
      hiresFrom = 'the paragraph (no #hires-count)';
    }
    // People still short: recounted with this year's hires when there are
    // any (#projected-shortfall), else as declared (#declared-shortfall).
    const sf = document.getElementById('projected-shortfall') || document.getElementById('declared-shortfall');
    let shortfall = null;
    if (sf) {
      shortfall = { text: clean(sf.textContent), value: num(sf.textContent), from: `#${sf.id}` };
    }
    return { hires, hiresText, hiresFrom, shortfall };
  });
}

// ------------------------------------------------------------------- steps --

async function main() {
  const started = Date.now();
  console.log(`jobs: ${cfg.ORIGIN}`);
  await launch();
  const employer = await openSession('employer');
  const seeker = await openSession('seeker');
  const admin = await openSession('admin');
  const today = chinaToday();
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(2, 14);
  const jobTitle = `${TITLE_PREFIX}${stamp}`;

  await step('employer, seeker and admin log in by keyboard', async () => {
    await Promise.all([login(employer), login(seeker), login(admin)]);
    return [employer, seeker, admin].map((s) => shortUrl(s.page.url())).join(', ');
  });

  let before;
  let employerName;
  let employerId;
  await step('employer reads its page from the "本单位" link', async () => {
    const { page } = employer;
    const resp = await activate(page, 'nav.main-nav a[href="/employers"]', { what: 'the "本单位" link' });
    check(resp && resp.status() === 200, `the "本单位" link answered HTTP ${resp && resp.status()}`);
    let m = new URL(page.url()).pathname.match(/^\/employers\/(\d+)$/);
    if (!m) {
      // A list of the employer's own organisations: the first one.
      await audit(employer, 'employers');
      const r = await activate(page, 'main a[href^="/employers/"]:not([href$="/new"])', { what: 'the link to the employer' });
      check(r && r.status() === 200, `the link to the employer answered HTTP ${r && r.status()}`);
      m = new URL(page.url()).pathname.match(/^\/employers\/(\d+)$/);
    }
    check(m, `the employer landed on ${shortUrl(page.url())}, expected /employers/{id}`);
    employerId = m[1];
    await audit(employer, 'employer (before)');
    employerName = (await text(page, 'h1')) || '';
    before = await employerStanding(page);
    check(Number.isInteger(before.hires), `cannot read the hires this year from ${before.hiresFrom}: ${JSON.stringify(before.hiresText)}`);
    return `/employers/${employerId} "${employerName}"; hires ${before.hires} (from ${before.hiresFrom}); ${before.shortfall ? `shortfall ${before.shortfall.value} (${before.shortfall.from})` : 'no shortfall'}`;
  });

  // ---- the person as the matching sees them: the seeker, or (when the
  // demo seeker cannot be recommended jobs) a person the officer chooses
  let pid;
  let me;
  let who; // the session acting for the person: seeker, or officer
  let note = null;
  await step('seeker opens their record and reads what matching uses', async () => {
    const { page } = seeker;
    const resp = await activate(page, 'main section[aria-labelledby="seeker-record"] a[href^="/persons/"]', { what: 'the link to the seeker\'s record' });
    const m = new URL(page.url()).pathname.match(/^\/persons\/(\d+)$/);
    check(resp && resp.status() === 200 && m, `the record link led to ${shortUrl(page.url())} (HTTP ${resp && resp.status()})`);
    await audit(seeker, 'own record');
    const got = await readPerson(seeker, m[1], { caseBy: 'self' });
    const why = unfit(got);
    if (!why) {
      who = seeker;
      me = got;
      pid = me.pid;
      return describe(me);
    }
    note = `the demo seeker's record /persons/${got.pid} cannot take part (${why}): the officer applies for a person of their district instead`;
    if (process.env.JOBS_REQUIRE_SEEKER === '1') fail(note);
    console.log(`note: ${note}`);
    return `/persons/${got.pid} (${got.name}): ${why}`;
  });

  if (!who) {
    await step('officer logs in and chooses an unemployed person with an assessment and a need', async () => {
      const officer = await openSession('officer');
      await login(officer);
      const listUrl = '/persons?employment_status=unemployed';
      await visit(officer, listUrl, { label: 'persons (unemployed)' });
      const links = await officer.page.$$eval('main table a[href^="/persons/"]', (as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\/persons\/\d+$/.test(h)));
      check(links.length, `no people listed at ${listUrl}`);
      let fallback = null;
      let looked = 0;
      for (const href of links.slice(0, 20)) {
        if (new URL(officer.page.url()).pathname + new URL(officer.page.url()).search !== listUrl) await visit(officer, listUrl, { label: 'persons (unemployed)' });
        const r = await activate(officer.page, `main table a[href="${href}"]`, { what: `the link to ${href}` });
        check(r && r.status() === 200, `${href} answered HTTP ${r && r.status()}`);
        await audit(officer, 'person');
        looked++;
        const pidHere = href.split('/').pop();
        const quick = await recommendations(officer.page);
        if (!quick || quick.notes.some((n) => /尚无审核通过|尚未登记|劳动年龄|停用/.test(n)) || !(await officer.page.$('section[aria-labelledby="profile-title"] dl'))) continue;
        const got = await readPerson(officer, pidHere, { caseBy: 'self' });
        if (unfit(got, { complete: true })) continue;
        if (!fallback) fallback = got;
        if (coveredConflict(got.functions)) {
          fallback = got;
          break;
        }
        if (looked >= 12) break;
      }
      check(fallback, `none of the ${looked} unemployed people looked at has an approved assessment and a registered need and is of working age`);
      who = officer;
      me = fallback;
      pid = me.pid;
      if (new URL(officer.page.url()).pathname !== `/persons/${me.pid}`) await visit(officer, `/persons/${me.pid}`, { label: 'person (chosen)' });
      return `${looked} record(s) looked at; ${describe(me)}`;
    });
  }

  // ---- the employer posts a job made for them
  let jobId;
  let design;
  await step('employer posts a job designed for the person, by keyboard', async () => {
    const { page } = employer;
    // A posting an earlier (failed) run left open would tie with the new one.
    await visit(employer, `/jobs?q=${encodeURIComponent(TITLE_PREFIX)}&status=open`, { label: 'jobs (earlier runs)' });
    let closed = 0;
    for (let i = 0; i < 5; i++) {
      const link = await page.$(`main a[href^="/jobs/"]:not([href="/jobs/new"])`);
      const href = link && (await link.getAttribute('href'));
      if (!href || !/^\/jobs\/\d+$/.test(href) || !(await link.textContent()).includes(TITLE_PREFIX)) break;
      await activate(page, `main a[href="${href}"]`, { what: 'an earlier run\'s posting' });
      await audit(employer, 'earlier posting');
      const r = await activate(page, 'main form[action$="/open"] button[type="submit"]', { what: 'the "停止招聘" button' });
      check(r && r.status() === 200, `closing ${href} answered HTTP ${r && r.status()}`);
      await audit(employer, 'earlier posting (closed)');
      closed++;
      await visit(employer, `/jobs?q=${encodeURIComponent(TITLE_PREFIX)}&status=open`, { label: 'jobs (earlier runs)' });
    }

    const r1 = await activate(page, 'nav.main-nav a[href="/jobs"]', { what: 'the "招聘岗位" link' });
    check(r1 && r1.status() === 200, `/jobs answered HTTP ${r1 && r1.status()}`);
    await audit(employer, 'jobs');
    const r2 = await activate(page, 'main a[href="/jobs/new"]', { what: 'the "发布岗位" link' });
    check(r2 && r2.status() === 200 && new URL(page.url()).pathname === '/jobs/new', `the "发布岗位" link led to ${shortUrl(page.url())} (HTTP ${r2 && r2.status()})`);
    await audit(employer, 'new job form');
    check(!(await page.$('#employer_id')), 'the employer\'s form asks for an employer number');

    // Options of the form, by label.
    const form = await page.evaluate(() => {
      const clean = (t) => (t || '').trim().replace(/\s+/g, ' ');
      const opts = (id) => [...document.querySelectorAll(`#${id} option`)].map((o) => ({ value: o.value, label: clean(o.textContent) }));
      return {
        occupation: opts('occupation'),
        district: opts('district'),
        hours: opts('hours'),
        accommodations: [...document.querySelectorAll('input[name="accommodations"]')].map((i) => ({
          value: i.value,
          label: clean(document.querySelector(`label[for="${i.id}"]`)?.textContent),
        })),
      };
    });
    design = designJob(me, form);
    await typeInto(page, 'title', jobTitle);
    await choose(page, 'occupation', design.occupation);
    await choose(page, 'district', design.district);
    await typeInto(page, 'address', `${me.district}测试路1号`);
    await setCheckbox(page, 'remote_possible', design.remote);
    await choose(page, 'hours', design.hours);
    await typeInto(page, 'monthly_wage', String(design.wage));
    await choose(page, 'education_required', '');
    await typeInto(page, 'skills', '');
    const demandNames = await page.$$eval('main input[type="radio"][name^="demand_"]', (els) => [...new Set(els.map((e) => e.name))]);
    for (const name of demandNames) {
      const code = name.slice('demand_'.length);
      await chooseRadio(page, name, design.demands[code] ?? '');
    }
    await tickExactly(page, 'accommodations', design.accommodations);
    await setCheckbox(page, 'reserved_for_disabled', true);
    await typeInto(page, 'posts', '1');
    const resp = await activate(page, 'main form button[type="submit"]', { what: 'the save button' });
    const m = new URL(page.url()).pathname.match(/^\/jobs\/(\d+)$/);
    check(resp && resp.status() === 200 && m, `saving the posting landed on ${shortUrl(page.url())} (HTTP ${resp && resp.status()})${await errorText(page)}`);
    jobId = m[1];
    await audit(employer, 'posting (new)');
    check(await text(page, 'main p.notice[role="status"]'), 'the new posting shows no "saved" notice');
    check((await text(page, 'h1')) === jobTitle, `the posting's <h1> reads ${JSON.stringify(await text(page, 'h1'))}`);
    const facts = await summaryList(page, 'main >');
    check(facts['招聘状态'] === '招聘中', `the new posting reads 招聘状态 ${JSON.stringify(facts['招聘状态'])}`);
    check(facts['用人单位'] === employerName, `the posting names the employer ${JSON.stringify(facts['用人单位'])}, expected ${JSON.stringify(employerName)}`);
    employerName = facts['用人单位'];
    return `/jobs/${jobId} "${jobTitle}": ${design.summary}${closed ? `; closed ${closed} posting(s) left open by earlier runs` : ''}`;
  });

  // ---- the person finds it, reads why, applies (or is applied for)
  const actor = () => (who === seeker ? 'seeker' : 'officer');
  const firstStatus = () => (who === seeker ? ['applied', '已申请', 'Applied'] : ['recommended', '已推荐', 'Recommended']);
  let mine;
  await step('the job is the best recommendation on the person\'s record; "为什么推荐" lists every factor', async () => {
    const { page } = who;
    await visit(who, `/persons/${pid}`, { label: 'record (recommendations)' });
    const rec = await recommendations(page);
    check(rec && rec.jobs.length, `no recommended jobs on /persons/${pid}${rec ? `: ${rec.notes.join(' ')}` : ''}`);
    const at = rec.jobs.findIndex((j) => j.title === jobTitle);
    check(at >= 0, `the new job is not among the ${rec.jobs.length} recommended: ${rec.jobs.map((j) => `${j.title} ${j.score}`).join('; ')}`);
    mine = rec.jobs[at];
    const best = Math.max(...rec.jobs.map((j) => j.score));
    check(mine.score === best, `the new job scores ${mine.score}, but ${rec.jobs.find((j) => j.score === best).title} scores ${best}`);
    check(mine.href === `/jobs/${jobId}`, `the recommendation links to ${mine.href}, expected /jobs/${jobId}`);
    // "为什么推荐": a <details>, opened with Enter on its summary.
    await tabTo(page, `section[aria-labelledby="recommended-title"] li.match:nth-child(${at + 1}) summary`, { what: 'the "为什么推荐" summary of the new job' });
    await page.keyboard.press('Enter');
    const opened = (await recommendations(page)).jobs[at];
    check(opened.open, 'Enter on "为什么推荐" did not open the explanation');
    const labels = opened.factors.map((f) => f.split('：')[0]);
    check(FACTORS_ZH.every((f) => labels.includes(f)) && opened.factors.length === FACTORS_ZH.length,
      `the explanation lists ${JSON.stringify(opened.factors)}, expected the ${FACTORS_ZH.length} factors ${FACTORS_ZH.join('、')}`);
    const total = opened.factors.reduce((sum, f) => sum + Number((f.match(/：(\d+) \//) || [])[1] || 0), 0);
    check(total === mine.score, `the factors add up to ${total}, the score is ${mine.score}`);
    if (design.covers.length) {
      check(opened.accommodated.length > 0, `the explanation names no covered conflict, though the job offers ${design.covers.join(', ')}`);
    }
    return `${who.role}: place ${at + 1} of ${rec.jobs.length}, score ${mine.score}${at ? ' (tied with older postings, which rank first)' : ''}; ${opened.factors.join(' | ')}${opened.accommodated.length ? `; covered: ${opened.accommodated.join(' | ')}` : ''}`;
  });

  /** Read the match result page the session is on: every factor, the score. */
  async function readVerdict(s) {
    const v = await s.page.evaluate(() => {
      const clean = (t) => (t || '').trim().replace(/\s+/g, ' ');
      const sec = document.querySelector('section[aria-labelledby="verdict-title"]');
      return {
        h1: clean(document.querySelector('h1')?.textContent),
        matched: !!sec?.querySelector('li.match'),
        text: clean(sec?.textContent),
        score: clean(sec?.querySelector('li.match p strong')?.textContent),
        factors: [...(sec?.querySelectorAll('li.match details > ul:first-of-type > li') || [])].map((x) => clean(x.textContent)),
      };
    });
    const names = s.lang === 'en' ? FACTORS_EN : FACTORS_ZH;
    const labels = v.factors.map((f) => f.split(/[：:]/)[0]);
    check(v.matched && names.every((f) => labels.includes(f)) && v.factors.length === names.length,
      `the match result reads ${JSON.stringify(v.text.slice(0, 240))}`);
    check(v.score.endsWith(String(mine.score)), `the match result shows ${v.score}, the recommendation ${mine.score}`);
    return v;
  }

  let verdictHow;
  await step(`${actor()} follows the link to the posting, reads the match result and applies`, async () => {
    const { page } = who;
    const at = (await recommendations(page)).jobs.findIndex((j) => j.title === jobTitle);
    const verdictHref = `/persons/${pid}/jobs/${jobId}`;
    const resp = await activate(page, `section[aria-labelledby="recommended-title"] li.match:nth-child(${at + 1}) h3 a`, { what: 'the new job\'s link' });
    check(resp && resp.status() === 200 && new URL(page.url()).pathname === `/jobs/${jobId}`, `the recommendation's link led to ${shortUrl(page.url())} (HTTP ${resp && resp.status()})`);
    await audit(who, 'posting');
    // The match result page: by a link if there is one, else (staff) the
    // posting's "why not" form, else (a seeker, who has neither) by URL.
    if (mine.links.includes(verdictHref) || (await page.$(`main a[href="${verdictHref}"]`))) {
      if (!(await page.$(`main a[href="${verdictHref}"]`))) await visit(who, `/persons/${pid}`, { label: 'record' });
      await activate(page, `main a[href="${verdictHref}"]`, { what: 'the link to the match result' });
      verdictHow = 'by its link';
    } else if (await page.$('#why-person')) {
      await typeInto(page, 'why-person', pid);
      await activate(page, 'main form[action$="/why"] button[type="submit"]', { what: 'the "查看匹配结果" button' });
      verdictHow = 'by the posting\'s "why not" form';
    } else {
      await page.goto(new URL(verdictHref, cfg.ORIGIN).href, { waitUntil: 'load' });
      verdictHow = `by URL (no link to ${verdictHref} on the record or the posting)`;
    }
    check(new URL(page.url()).pathname === verdictHref, `not on the match result: ${shortUrl(page.url())}`);
    await audit(who, 'match result');
    const v = await readVerdict(who);
    let applied;
    if (who === seeker) {
      // Back to the posting by its link on the match result; apply there.
      const back = await activate(page, `main a[href="/jobs/${jobId}"]`, { what: 'the link to the posting' });
      check(back && back.status() === 200, `the posting answered HTTP ${back && back.status()}`);
      await audit(who, 'posting (to apply)');
      applied = await activate(page, `main form[action="/persons/${pid}/applications"] button[type="submit"]`, { text: '申请这个岗位', what: 'the "申请这个岗位" button' });
    } else {
      // Staff apply for the person from the recommendation on their record.
      const back = await activate(page, 'main a.back-link', { what: 'the "返回人员页面" link' });
      check(back && back.status() === 200 && new URL(page.url()).pathname === `/persons/${pid}`, `the back link led to ${shortUrl(page.url())}`);
      await audit(who, 'record (to apply)');
      const k = (await recommendations(page)).jobs.findIndex((j) => j.title === jobTitle);
      applied = await activate(page, `section[aria-labelledby="recommended-title"] li.match:nth-child(${k + 1}) form[action="/persons/${pid}/applications"] button[type="submit"]`, { text: '申请这个岗位', what: 'the new job\'s "申请这个岗位" button' });
    }
    const u = new URL(page.url());
    check(applied && applied.status() === 200 && u.pathname === `/persons/${pid}` && u.hash === '#applications',
      `applying landed on ${shortUrl(page.url())} (HTTP ${applied && applied.status()})${await errorText(page)}`);
    await audit(who, 'record (applied)');
    const list = await applications(page);
    const a = list.find((x) => x.href === `/jobs/${jobId}`);
    check(a, `the applications do not list /jobs/${jobId}: ${JSON.stringify(list.map((x) => x.heading))}`);
    const [, label] = firstStatus();
    check(a.heading === jobTitle && a.status.endsWith(label), `the application reads ${JSON.stringify(a)}, expected ${label}`);
    check(a.steps.some((st) => st.startsWith(label) && st.includes(today)), `the application's steps read ${JSON.stringify(a.steps)}, expected ${label} ${today}`);
    const after = (await recommendations(page)).jobs.find((j) => j.title === jobTitle);
    check(!after || !after.apply, 'the recommendation still offers "申请这个岗位" after applying');
    return `match result ${verdictHow}: "${v.h1}"; application: ${a.status} (${a.steps.join(', ')})`;
  });

  await step(`${actor()} views the record, the match result and the posting in English`, async () => {
    const { page } = who;
    await switchLanguage(who, 'en');
    const rec = await recommendations(page);
    const j = rec && rec.jobs.find((x) => x.title === jobTitle);
    check(j, 'the English record does not recommend the new job');
    await tabTo(page, `section[aria-labelledby="recommended-title"] li.match:nth-child(${rec.jobs.indexOf(j) + 1}) summary`, { what: 'the "Why this job" summary' });
    await page.keyboard.press('Enter');
    const opened = (await recommendations(page)).jobs.find((x) => x.title === jobTitle);
    const labels = opened.factors.map((f) => f.split(':')[0]);
    check(opened.open && FACTORS_EN.every((f) => labels.includes(f)), `the English explanation lists ${JSON.stringify(opened.factors)}`);
    check(!/[\u4e00-\u9fff]/.test(opened.factors.join('')), `the English explanation has Chinese text: ${JSON.stringify(opened.factors)}`);
    const a = (await applications(page)).find((x) => x.href === `/jobs/${jobId}`);
    check(a && a.status.endsWith(firstStatus()[2]), `the English application reads ${JSON.stringify(a)}`);
    await visit(who, `/persons/${pid}/jobs/${jobId}`, { label: 'match result' });
    const v = await readVerdict(who);
    check(!/[\u4e00-\u9fff]/.test(v.factors.join('').replace(jobTitle, '')), `the English match result has Chinese text: ${JSON.stringify(v.factors)}`);
    const resp = await activate(page, `main a[href="/jobs/${jobId}"]`, { what: 'the link to the posting' });
    check(resp && resp.status() === 200, `the posting answered HTTP ${resp && resp.status()}`);
    await audit(who, 'posting');
    const facts = await summaryList(page, 'main >');
    check(facts.Status === 'Open', `the English posting reads ${JSON.stringify(facts)}`);
    await switchLanguage(who, 'zh');
    return `"${opened.factors[0]}"; application "${a.status}"; match result "${v.h1}"; posting facts ${Object.keys(facts).slice(0, 4).join(', ')}, …`;
  });

  // ---- the employer moves the application to a hire
  let outcomesBefore;
  await step('employer moves the application: 面试 → 录用通知 → 已入职 (today)', async () => {
    const { page } = employer;
    await visit(admin, `/persons/${pid}/case`, { label: 'case (before the hire)' });
    outcomesBefore = (await caseEntries(admin.page, 'outcomes')).length;
    await visit(employer, `/jobs/${jobId}`, { label: 'posting (applications)' });
    let list = await applications(page);
    check(list.length === 1, `the posting lists ${list.length} applications, expected 1: ${JSON.stringify(list)}`);
    let a = list[0];
    check(a.heading === me.name, `the application is headed ${JSON.stringify(a.heading)}, expected the masked name ${JSON.stringify(me.name)}`);
    check(a.status.endsWith(firstStatus()[1]) && a.id, `the application reads ${JSON.stringify(a)}`);
    const appId = a.id;
    const seen = [a.status.replace(/^.*[:：]/, '')];
    for (const [code, label] of [['interview', STATUS.interview], ['offer', STATUS.offer], ['hired', STATUS.hired]]) {
      check(a.next.includes(code), `the application offers ${JSON.stringify(a.next)}, not ${code}`);
      await choose(page, `status-${appId}`, code);
      const prefilled = await page.$eval(`#on-${appId}`, (el) => el.value);
      check(prefilled === today, `the date field holds ${JSON.stringify(prefilled)}, expected today ${today}`);
      await typeInto(page, `on-${appId}`, today);
      const resp = await activate(page, `main form[action="/applications/${appId}/step"] button[type="submit"]`, { what: 'the "更新申请" button' });
      const u = new URL(page.url());
      check(resp && resp.status() === 200 && u.pathname === `/jobs/${jobId}` && u.hash === '#applications',
        `moving to ${code} landed on ${shortUrl(page.url())} (HTTP ${resp && resp.status()})${await errorText(page)}`);
      await audit(employer, `posting (${code})`);
      list = await applications(page);
      a = list.find((x) => x.heading === me.name);
      check(a && a.status.endsWith(label), `after ${code} the application reads ${JSON.stringify(a)}, expected ${label}`);
      check(a.steps.some((st) => st.startsWith(label) && st.includes(today)), `the steps read ${JSON.stringify(a.steps)}`);
      seen.push(a.status.replace(/^.*[:：]/, ''));
    }
    check(a.next.length === 0, `a hired application still offers ${JSON.stringify(a.next)}`);
    const facts = await summaryList(page, 'main >');
    check(facts['招聘状态'] === '已停止招聘', `with its one post filled the posting reads 招聘状态 ${JSON.stringify(facts['招聘状态'])}, expected 已停止招聘`);
    return `application ${appId}: ${seen.join(' → ')}; steps ${a.steps.join(', ')}; posting ${facts['招聘状态']}`;
  });

  // ---- the loop closed
  await step('the outcome is recorded and the person\'s record reads 已入职', async () => {
    await visit(admin, `/persons/${pid}/case`, { label: 'case (after the hire)' });
    const outcomes = await caseEntries(admin.page, 'outcomes');
    const o = outcomes.find((x) => x.head.startsWith(today) && x.lines.some((l) => l === `用人单位：${employerName}`));
    check(outcomes.length === outcomesBefore + 1, `the case lists ${outcomes.length} outcomes after the hire, ${outcomesBefore} before: expected one more`);
    check(o, `no outcome started ${today} at ${employerName} in the case: ${JSON.stringify(outcomes.slice(0, 3))}`);
    check(o.lines.some((l) => l === `月工资（元）：${design.wage}`), `the outcome does not show the wage ${design.wage}: ${o.lines.join(' | ')}`);
    check(o.lines.some((l) => l === '就业形式：按比例就业'), `the outcome is not quota employment: ${o.lines.join(' | ')}`);
    const { page } = who;
    await visit(who, `/persons/${pid}`, { label: 'record (hired)' });
    const a = (await applications(page)).find((x) => x.href === `/jobs/${jobId}`);
    check(a && a.status.endsWith(STATUS.hired), `the person's application reads ${JSON.stringify(a)}`);
    const rec = await recommendations(page);
    check(!rec.jobs.some((j) => j.title === jobTitle), 'the closed posting is still recommended');
    const status = (await summaryList(page, 'main >'))['就业状态'];
    return `${o.head}: ${o.lines.join(' | ')}; ${who.role} sees ${a.status}, 就业状态 ${status}`;
  });

  await step('the employer page counts the hire', async () => {
    const { page } = employer;
    await visit(employer, `/employers/${employerId}`, { label: 'employer (after)' });
    const after = await employerStanding(page);
    check(after.hires === before.hires + 1, `hires this year ${before.hires} → ${after.hires}, expected +1 (${JSON.stringify(after.hiresText)})`);
    let sf = 'no shortfall before or after';
    if (before.shortfall) {
      check(!after.shortfall || (after.shortfall.value !== null && before.shortfall.value !== null && after.shortfall.value < before.shortfall.value),
        `the shortfall did not fall: ${JSON.stringify(before.shortfall)} → ${JSON.stringify(after.shortfall)}`);
      sf = after.shortfall
        ? `shortfall ${before.shortfall.value} (${before.shortfall.from}) → ${after.shortfall.value} (${after.shortfall.from})`
        : `shortfall ${before.shortfall.value} → gone (quota met)`;
    } else if (after.shortfall) {
      fail(`a shortfall appeared after a hire: ${JSON.stringify(after.shortfall)}`);
    }
    return `hires ${before.hires} → ${after.hires}; ${sf}`;
  });

  await step('employer views the posting and its page in English', async () => {
    const { page } = employer;
    await visit(employer, `/jobs/${jobId}`, { label: 'posting (hired)' });
    await switchLanguage(employer, 'en');
    const a = (await applications(page))[0];
    check(a && /Hired$/.test(a.status), `the English posting's application reads ${JSON.stringify(a)}`);
    const hint = await text(page, 'section[aria-labelledby="applications"] p.field__hint');
    check(hint && !/[\u4e00-\u9fff]/.test(hint), `the English applications hint reads ${JSON.stringify(hint)}`);
    await visit(employer, `/employers/${employerId}`, { label: 'employer' });
    const en = await employerStanding(page);
    await switchLanguage(employer, 'zh');
    return `application "${a.status}"; employer page: ${en.hiresText}`;
  });

  console.log(`jobs: ${state.audited} pages audited (${state.auditedEn} in English) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/**
 * What matching reads of a person: their record page (the session is on
 * it), then the case page (need and approved assessment) by the record's
 * link, and back.
 */
async function readPerson(s, pid, { caseBy }) {
  const { page } = s;
  const facts = await summaryList(page, 'main >');
  const profile = await summaryList(page, 'section[aria-labelledby="profile-title"]');
  const rec = await recommendations(page);
  check(rec, `the record /persons/${pid} has no recommended jobs section`);
  const me = {
    pid,
    name: clean((await text(page, 'h1')) || '').replace(/^[^:：]*[:：]\s*/, ''),
    district: facts['所属区'],
    education: facts['文化程度'],
    status: facts['就业状态'],
    workingAge: facts['劳动年龄'],
    active: !(await page.$('main p.panel--warning')),
    assessed: false,
    accommodations: (profile['所需辅助与便利'] || '').split('、').map(clean).filter((x) => x && x !== '—'),
    recommended: rec.jobs,
    notes: rec.notes,
    need: null,
    functions: {},
    caseReader: caseBy,
  };
  check(me.district, `the record shows no 所属区: ${JSON.stringify(facts)}`);
  const r = await activate(page, `main a[href="/persons/${pid}/case"]`, { what: 'the link to the case record' });
  check(r && r.status() === 200, `${s.role} cannot open /persons/${pid}/case (HTTP ${r && r.status()})`);
  await audit(s, 'case');
  const needs = await caseEntries(page, 'need');
  if (needs.length) {
    const n = needs[0];
    const line = (prefix) => n.lines.find((l) => l.startsWith(prefix))?.slice(prefix.length).trim() ?? null;
    me.need = {
      occupations: n.head.replace(/^\S+\s*·\s*/, '').replace(/\s*\([^)]*\)\s*$/, ''),
      hours: line('工作时间：'),
      districts: (line('意向区域：') || '').split('、').filter(Boolean),
      commute: line('最长通勤（分钟）：'),
      wage: line('期望月薪（元）：'),
      accommodations: (line('所需便利：') || '').split('、').filter(Boolean),
    };
    for (const a of me.need.accommodations) if (!me.accommodations.includes(a)) me.accommodations.push(a);
  }
  const approved = (await caseEntries(page, 'assessment')).find((a) => a.head.includes('已审核通过'));
  me.assessed = !!approved;
  if (approved) {
    for (const l of approved.lines) {
      for (const [, f, lim] of l.matchAll(/([^；：\s]+)：([^；]+)/g)) {
        if (FUNCTION_LABELS[f] && LIMITATION_LABELS[lim.trim()]) me.functions[FUNCTION_LABELS[f]] = LIMITATION_LABELS[lim.trim()];
      }
    }
  }
  const back = await activate(page, `main a[href="/persons/${pid}"]`, { what: 'the link back to the record' });
  check(back && back.status() === 200, `the link back to the record answered HTTP ${back && back.status()}`);
  await audit(s, 'record (back from the case)');
  return me;
}

/**
 * Why a person cannot take part in the loop, or null: matching recommends
 * jobs only to active records of working age; a person the officer
 * chooses must also have a registered need and an approved assessment.
 */
function unfit(me, { complete = false } = {}) {
  if (me.workingAge !== '是') return `劳动年龄：${me.workingAge}; ${me.notes.slice(-1)[0] ?? ''}`.trim();
  if (!me.active) return 'the record is deactivated';
  if (complete && !me.need) return 'no registered need';
  if (complete && !me.assessed) return 'no approved assessment';
  return null;
}

function describe(me) {
  const limited = Object.entries(me.functions).filter(([, l]) => l !== 'none').map(([f, l]) => `${f} ${l}`);
  return `/persons/${me.pid} (${me.name}, ${me.district}, ${me.status}); need: ${me.need ? `${me.need.occupations} · ${me.need.hours} · ${me.need.districts.join('、') || 'any district'} · wage ${me.need.wage ?? '—'}` : 'none'}; limitations: ${limited.join(', ') || (me.assessed ? 'none' : 'not assessed')}; accommodations: ${me.accommodations.join('、') || 'none'}; ${me.recommended.length} jobs recommended now (best ${me.recommended[0]?.score ?? '—'})`;
}

/**
 * The posting for this seeker: the occupation they want (from a current
 * recommendation's "意向职业" reason, else their need's words), a district
 * they accept, the hours they want, at least the wage they expect, every
 * accommodation they need, and a conflicting demand with its cover.
 */
function designJob(me, form) {
  const notes = [];
  const byLabel = (options, label) => options.find((o) => o.label === label);
  // Occupation.
  let occupation = null;
  for (const j of me.recommended) {
    const f = j.factors.find((x) => x.startsWith('职业意向'));
    const m = f && f.match(/意向职业：(.+)$/);
    if (m) {
      occupation = form.occupation.find((o) => o.value && o.label.replace(/^\d+\s+/, '') === m[1].trim());
      if (occupation) break;
    }
  }
  if (!occupation && me.need) {
    for (const phrase of me.need.occupations.split(/[、，,;；\s]+/).filter(Boolean)) {
      occupation = form.occupation.find((o) => o.value && (o.value === phrase || o.label.replace(/^\d+\s+/, '') === phrase));
      const word = !occupation && OCCUPATION_WORDS.find(([w]) => phrase.includes(w));
      if (word) occupation = form.occupation.find((o) => o.value === word[1]);
      if (occupation) break;
    }
  }
  if (!occupation) {
    occupation = form.occupation.find((o) => o.value === '41') || form.occupation.find((o) => o.value);
    notes.push(me.need ? `occupation: nothing recognised in "${me.need.occupations}"` : 'occupation: none wanted');
  }
  // District: home if accepted, else from home, else the first accepted.
  const home = byLabel(form.district, me.district);
  check(home, `the form has no district ${me.district}`);
  const need = me.need;
  const wantsRemote = me.accommodations.includes('居家办公');
  let district = home.value;
  let remote = false;
  if (need && need.districts.length && !need.districts.includes(me.district) && !need.commute) {
    if (wantsRemote) {
      remote = true;
      notes.push('remote (home district not among the accepted)');
    } else {
      district = byLabel(form.district, need.districts[0])?.value ?? home.value;
      notes.push(`district ${need.districts[0]} (home not accepted)`);
    }
  }
  // Hours, wage.
  const hours = (need && byLabel(form.hours, need.hours)?.value) || form.hours.find((o) => o.value === 'flexible')?.value || form.hours[0].value;
  const expected = need && need.wage ? Number(need.wage) : 0;
  const wage = Math.max(expected, 3000) + 500;
  // Accommodations they need, and a conflict with its cover.
  const accommodations = [];
  for (const label of me.accommodations) {
    const a = byLabel(form.accommodations, label);
    if (a && !accommodations.includes(a.value)) accommodations.push(a.value);
  }
  const demands = {};
  const covers = [];
  const conflict = coveredConflict(me.functions);
  if (conflict) {
    demands[conflict.demand] = conflict.level;
    for (const c of conflict.conflicts) {
      if (!accommodations.includes(c.by)) accommodations.push(c.by);
      covers.push(`${conflict.demand} ${conflict.level} ↔ ${c.fn} ${c.limitation} by ${c.by}`);
    }
  }
  if (!covers.length) notes.push('no limitation to accommodate');
  return {
    occupation: occupation.value,
    district,
    remote,
    hours,
    wage,
    demands,
    accommodations,
    covers,
    summary: `${occupation.label}, ${byLabel(form.district, me.district)?.value === district ? me.district : district}${remote ? ' (remote)' : ''}, ${hours}, ${wage} 元, demands ${JSON.stringify(demands)}, accommodations ${accommodations.join(',') || 'none'}${covers.length ? `; covers ${covers.join('; ')}` : ''}${notes.length ? `; ${notes.join('; ')}` : ''}`,
  };
}

run(main);
