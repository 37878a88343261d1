#!/usr/bin/env node
// AbleWork browser check: keyboard-only login, crawl and accessibility audit.
//
//   node tests/browser/a11y.mjs [BASE_URL]        (default http://127.0.0.1:18080)
//
// For every demo account and every language it
//   1. opens /login?lang=LANG in a fresh browser profile and audits it;
//   2. logs in with the keyboard alone (Tab to `username`, type, Tab to
//      `password`, type, Enter) and checks that the login page is gone;
//   3. crawls same-origin links breadth-first from the page the login lands on
//      (and a few deep pages per role, SEEDS), and audits every HTML page it
//      reaches.
// Audit of a page = axe-core (WCAG 2.0/2.1 A and AA) + `<html lang>` matches the
// language + exactly one visible <h1> + the first Tab stop is a skip link
// (href="#id" pointing at an element that exists) + HTTP status < 400 + no
// uncaught JavaScript error + no request to another origin.
//
// Exit status 0 when every audited page passed, 1 otherwise. The last line is
// always `browser: N passed, M failed` (N/M = pages audited).
//
// Environment (all optional):
//   A11Y_ROLES=admin,seeker   A11Y_LANGS=zh,en   A11Y_PASSWORD=ablework-demo
//   A11Y_MAX_PAGES=60 (per role and language)    A11Y_MAX_PER_PATH=5
//   A11Y_CONCURRENCY=2 (browsers at once)        A11Y_TIMEOUT_S=1200 (whole run)
//   A11Y_NAV_TIMEOUT_MS=30000                    CHROMIUM_PATH=/usr/bin/chromium
//   A11Y_ARTIFACTS=tests/browser/artifacts (screenshots)

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core');
const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- settings --

function envList(name, fallback) {
  const v = process.env[name];
  if (!v || !v.trim()) return fallback;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
function envInt(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number.parseInt(v, 10);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`a11y: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
}

const rawBase = process.argv[2] || process.env.A11Y_BASE_URL || 'http://127.0.0.1:18080';
let BASE;
try {
  BASE = new URL(rawBase);
  if (!/^https?:$/.test(BASE.protocol)) throw new Error('not http(s)');
} catch {
  console.error(`usage: node a11y.mjs [BASE_URL]   (got ${JSON.stringify(rawBase)})`);
  process.exit(2);
}
const ORIGIN = BASE.origin;

const ROLES = envList('A11Y_ROLES', ['admin', 'officer', 'employer', 'institution', 'seeker']);
const LANGS = envList('A11Y_LANGS', ['zh', 'en']);
const PASSWORD = process.env.A11Y_PASSWORD || 'ablework-demo';
const MAX_PAGES = envInt('A11Y_MAX_PAGES', 60);
const MAX_PER_PATH = envInt('A11Y_MAX_PER_PATH', 5);
const CONCURRENCY = envInt('A11Y_CONCURRENCY', 2);
const TOTAL_TIMEOUT_S = envInt('A11Y_TIMEOUT_S', 1200);
const NAV_TIMEOUT_MS = envInt('A11Y_NAV_TIMEOUT_MS', 30000);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = process.env.A11Y_ARTIFACTS || path.join(HERE, 'artifacts');
const MAX_TABS_TO_USERNAME = 30;
const MAX_TABS_TO_PASSWORD = 10;

const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations'],
};

// `<html lang>` accepted for each language we ask for.
const LANG_OK = {
  zh: /^zh(-(CN|Hans|Hans-CN))?$/i,
  en: /^en(-[A-Za-z]{2})?$/i,
};

// ------------------------------------------------------------ link filters --

const FILE_EXT = /\.(csv|tsv|xlsx?|ods|json|xml|pdf|zip|gz|tar|txt|docx?|odt|pptx?|png|jpe?g|gif|svg|webp|ico|js|mjs|css|map|woff2?|ttf|otf)$/i;
const FILE_FORMAT = /^(csv|tsv|xlsx?|ods|json|xml|pdf|zip|txt)$/i;
const LOGOUT = /(^|\/)(logout|log-out|log_out|signout|sign-out|sign_out)(\/|$)/i;
const LANG_PATH = /^\/(lang|language|locale|i18n)(\/|$)/i;

/** Why a link must not be followed, or null to follow it. */
function skipReason(link, lang) {
  const raw = (link.raw || '').trim();
  if (!raw || raw.startsWith('#')) return 'fragment';
  let u;
  try {
    u = new URL(link.abs);
  } catch {
    return 'bad url';
  }
  if (!/^https?:$/.test(u.protocol)) return 'scheme';
  if (u.origin !== ORIGIN) return 'other origin';
  if (link.download) return 'download';
  if (LOGOUT.test(u.pathname)) return 'logout';
  if (FILE_EXT.test(u.pathname)) return 'file';
  for (const key of ['format', 'export', 'download']) {
    const v = u.searchParams.get(key);
    if (v !== null && (key !== 'format' || FILE_FORMAT.test(v))) return 'file';
  }
  // Language switches would change the remembered language mid-crawl.
  for (const key of ['lang', 'locale']) {
    const v = u.searchParams.get(key);
    if (v !== null && !v.toLowerCase().startsWith(lang)) return 'language switch';
  }
  if (link.hreflang && !link.hreflang.toLowerCase().startsWith(lang)) return 'language switch';
  if (LANG_PATH.test(u.pathname)) return 'language switch';
  return null;
}

/** Pages each role's crawl audits whatever the order of links: forms and
 * reports a few clicks deep. */
const SEEDS = {
  admin: [
    '/plans',
    '/plans/new',
    '/plans/tianjin-2022-2024/edit',
    '/progress/statistics',
    '/progress/statistics?kind=quarter',
    '/progress/statistics/print',
    '/progress?district=120116',
    '/progress/people?measure=m10_training',
    '/jobs',
    '/jobs/new',
    '/jobs?status=all&sort=wage_high&remote=1',
    // Matching: a person's recommended jobs, and the verdict on one
    // posting ("why not"); a posting's page lists its candidates.
    '/persons/1',
    '/persons/1/jobs/1',
    '/jobs/1',
    // Job fairs: the list, the form, a fair (with its attendance and
    // application forms), its edit form and its print view.
    '/fairs',
    '/fairs/new',
    '/fairs?when=past&soe=1',
    '/fairs/1',
    '/fairs/1/edit',
    '/fairs/1/report',
    // Programmes: the overview, a programme's three lists, the unit and
    // pool forms, units of each shape (a college with courses, a workshop,
    // a rural base with its criteria), a course, a labour project, a
    // participant, the rural criteria.
    '/programmes',
    '/programmes/training',
    '/programmes/auxiliary?view=pool',
    '/programmes/training?view=activities',
    '/programmes/training/units/new',
    '/programmes/training/units/new?kind=vocational_college',
    '/programmes/auxiliary/pool/new',
    '/programme-units/2',
    '/programme-units/2/activities/new',
    '/programme-units/4',
    '/programme-units/6',
    '/programme-activities/1',
    '/programme-activities/4',
    '/programme-activities/8',
    '/programme-participants/1',
    '/programmes/rural/criteria',
  ],
  officer: [
    '/plans',
    '/progress/statistics',
    '/progress/statistics/print',
    '/progress/people?measure=m10_training',
    '/jobs',
    '/jobs/new',
    '/fairs',
    '/fairs/1',
    '/programmes',
    '/programmes/auxiliary?view=pool',
    '/programme-units/4',
  ],
  // Job postings: the list links to each posting, and a posting to its form.
  employer: ['/jobs', '/jobs/new', '/jobs?status=closed', '/fairs', '/fairs/2'],
  institution: ['/jobs', '/jobs?accommodation=step_free', '/fairs', '/programmes', '/programme-units/2', '/programme-activities/1', '/programme-participants/1'],
  seeker: ['/jobs', '/jobs?reserved=1&major=4', '/fairs', '/fairs?when=upcoming'],
};

function normalise(href) {
  const u = new URL(href);
  u.hash = '';
  let s = u.href;
  if (s.endsWith('?')) s = s.slice(0, -1);
  return s;
}

/** Pages with the same key are "the same page with other data": capped at MAX_PER_PATH. */
function pathKey(href) {
  const u = new URL(href);
  return u.pathname
    .split('/')
    .map((seg) =>
      /^\d+$/.test(seg) ||
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(seg) ||
      /^[0-9a-f]{16,}$/i.test(seg)
        ? ':id'
        : seg,
    )
    .join('/');
}

function oneLine(e, lines = 1) {
  // eslint-disable-next-line no-control-regex
  const text = String(e && (e.stack || e.message) ? e.stack || e.message : e).replace(/\x1b\[[0-9;]*m/g, '');
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, lines).join(' | ');
}

function shortUrl(href) {
  try {
    const u = new URL(href);
    return u.origin === ORIGIN ? u.pathname + u.search : u.href;
  } catch {
    return String(href);
  }
}

// ----------------------------------------------------------------- results --

const results = []; // {lang, role, url, problems: string[], violations: object[]}
const profiles = new Set(); // browser profile dirs still in use (removed on exit)
let finished = false;

function record(lang, role, url, problems, violations = []) {
  const failed = problems.length > 0 || violations.length > 0;
  results.push({ lang, role, url, problems, violations, failed });
  if (!failed) {
    console.log(`ok  ${lang} ${role} ${url}`);
  } else {
    const bits = [];
    if (violations.length) bits.push(`axe: ${violations.map((v) => v.id).join(', ')}`);
    bits.push(...problems);
    console.log(`FAIL ${lang} ${role} ${url}: ${bits.join('; ')}`);
  }
}

function printSummaryAndExit(extraProblem) {
  if (finished) return;
  finished = true;
  if (extraProblem) results.push({ lang: '-', role: '-', url: '(run)', problems: [extraProblem], violations: [], failed: true });
  const failed = results.filter((r) => r.failed);
  const passed = results.length - failed.length;

  console.log('');
  console.log('=== browser check summary ===');
  for (const lang of LANGS) {
    for (const role of ROLES) {
      const mine = results.filter((r) => r.lang === lang && r.role === role);
      const bad = mine.filter((r) => r.failed).length;
      console.log(`  ${lang} ${role.padEnd(12)} ${String(mine.length).padStart(3)} pages, ${bad} failed`);
    }
  }

  if (failed.length) {
    console.log('');
    console.log('=== failures in detail ===');
    for (const r of failed) {
      console.log(`FAIL ${r.lang} ${r.role} ${r.url}`);
      for (const p of r.problems) console.log(`  - ${p}`);
      for (const v of r.violations) {
        console.log(`  - axe ${v.id} (${v.impact ?? 'n/a'}): ${v.help} [${v.nodes} element${v.nodes === 1 ? '' : 's'}]`);
        for (const t of v.targets) console.log(`      at ${t}`);
        if (v.summary) console.log(`      ${v.summary.replace(/\s*\n\s*/g, ' | ')}`);
        if (v.helpUrl) console.log(`      ${v.helpUrl}`);
      }
    }
    const byRule = new Map();
    for (const r of failed) for (const v of r.violations) byRule.set(v.id, (byRule.get(v.id) || 0) + 1);
    if (byRule.size) {
      console.log('');
      console.log('axe rules violated (pages):');
      for (const [id, n] of [...byRule].sort((a, b) => b[1] - a[1])) console.log(`  ${id}: ${n}`);
    }
  }
  if (results.length === 0) {
    console.log('a11y: no page was checked');
  }
  for (const dir of profiles) fs.rmSync(dir, { recursive: true, force: true });
  console.log('');
  console.log(`browser: ${passed} passed, ${failed.length} failed`);
  process.exit(failed.length === 0 && results.length > 0 ? 0 : 1);
}

// ------------------------------------------------------------- page checks --

/**
 * Press Tab once from a fresh load and report the focused element. If the page
 * autofocuses something, the focus is first moved to a temporary, unfocusable-by-Tab
 * marker at the start of <body> so that Tab lands on the first element in tab order.
 */
async function firstTabStop(page) {
  const hadFocus = await page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body || a === document.documentElement) return false;
    const m = document.createElement('span');
    m.tabIndex = -1;
    m.id = '__a11y_focus_start__';
    document.body.prepend(m);
    m.focus();
    return true;
  });
  await page.keyboard.press('Tab');
  const info = await page.evaluate(() => {
    const el = document.activeElement;
    let out = null;
    if (el && el !== document.body && el !== document.documentElement) {
      const href = el.getAttribute('href');
      let targetExists = false;
      if (href && href.startsWith('#') && href.length > 1) {
        const id = decodeURIComponent(href.slice(1));
        targetExists = !!(document.getElementById(id) || document.getElementsByName(id).length);
      }
      out = {
        tag: el.tagName.toLowerCase(),
        href,
        text: (el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 60),
        targetExists,
      };
    }
    document.getElementById('__a11y_focus_start__')?.remove();
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    return out;
  });
  return { hadFocus, info };
}

async function auditPage(page, lang) {
  const problems = [];

  // Skip link first: it needs the page as freshly loaded.
  const { info } = await firstTabStop(page);
  if (!info) {
    problems.push('skip link: Tab from a fresh load focused nothing');
  } else if (info.tag !== 'a' || !info.href || !info.href.startsWith('#') || info.href.length < 2) {
    problems.push(`skip link: first Tab stop is <${info.tag}${info.href ? ` href="${info.href}"` : ''}> "${info.text}", not a link to "#…"`);
  } else if (!info.targetExists) {
    problems.push(`skip link: "${info.href}" points at no element with that id`);
  }

  const facts = await page.evaluate(() => {
    const visible = (el) => (typeof el.checkVisibility === 'function' ? el.checkVisibility() : el.getClientRects().length > 0);
    return {
      lang: document.documentElement.getAttribute('lang'),
      h1: [...document.querySelectorAll('h1')].filter(visible).length,
    };
  });
  const langRe = LANG_OK[lang] || new RegExp(`^${lang}(-.*)?$`, 'i');
  if (!facts.lang) problems.push('<html> has no lang attribute');
  else if (!langRe.test(facts.lang)) problems.push(`<html lang="${facts.lang}">, expected ${lang}`);
  if (facts.h1 !== 1) problems.push(`${facts.h1} visible <h1> elements, expected exactly 1`);

  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async (opts) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, opts);
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.map(String).join(' >>> ')),
      summary: v.nodes[0]?.failureSummary || '',
    }));
  }, AXE_OPTIONS);

  return { problems, violations };
}

function isHtml(contentType) {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType || '');
}

// ---------------------------------------------------------- one role/lang --

async function runOne(role, lang) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ablework-a11y-'));
  profiles.add(profile);
  let context;
  const pageErrors = [];
  const external = new Set();
  const tag = `${lang} ${role}`;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      bypassCSP: true, // lets axe-core be injected under a strict Content-Security-Policy
      viewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
    context.setDefaultTimeout(NAV_TIMEOUT_MS);
    // The product must work offline: nothing may be loaded from another origin.
    await context.route(
      (u) => /^https?:$/.test(u.protocol) && u.origin !== ORIGIN,
      (route) => {
        external.add(route.request().url());
        return route.abort();
      },
    );
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(String(e && e.message ? e.message : e).split('\n')[0]));

    /** Load url and audit it. Returns {status:'checked'|'skipped', finalUrl}. */
    async function visit(url, { expectLogin = false } = {}) {
      pageErrors.length = 0;
      external.clear();
      let resp;
      try {
        resp = await page.goto(url, { waitUntil: 'load' });
      } catch (e) {
        const msg = oneLine(e);
        if (/Download is starting|net::ERR_ABORTED/.test(msg)) return { status: 'skipped', reason: 'download' };
        record(lang, role, shortUrl(url), [`navigation failed: ${msg}`]);
        return { status: 'checked' };
      }
      const finalUrl = page.url();
      const st = resp ? resp.status() : 0;
      const ct = resp ? resp.headers()['content-type'] || '' : '';
      const isApi = new URL(url).pathname.startsWith('/api/');
      if (!isHtml(ct)) {
        if (isApi || st < 400) return { status: 'skipped', reason: `content-type ${ct || 'none'}`, finalUrl };
        record(lang, role, shortUrl(url), [`HTTP ${st} (${ct || 'no content-type'})`]);
        return { status: 'checked', finalUrl };
      }
      const problems = [];
      if (st >= 400) problems.push(`HTTP ${st}`);
      if (!expectLogin && new URL(finalUrl).pathname.replace(/\/$/, '') === '/login') {
        problems.push('redirected to the login page (session lost, or a link the role may not open)');
      }
      const audit = await auditPage(page, lang);
      problems.push(...audit.problems);
      if (pageErrors.length) problems.push(`JavaScript error: ${[...new Set(pageErrors)].slice(0, 3).join(' | ')}`);
      if (external.size) problems.push(`requests to other origins (blocked): ${[...external].slice(0, 3).join(', ')}`);
      const label = finalUrl !== url && normalise(finalUrl) !== normalise(url) ? `${shortUrl(url)} -> ${shortUrl(finalUrl)}` : shortUrl(url);
      record(lang, role, label, problems, audit.violations);
      return { status: 'checked', finalUrl };
    }

    // 1. the login page, language chosen by ?lang=
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await visit(`${ORIGIN}/login?lang=${encodeURIComponent(lang)}`, { expectLogin: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `${lang}-${role}-login.png`), fullPage: true }).catch(() => {});

    // 2. log in by keyboard alone (fresh load of /login; the language is remembered)
    const loginProblems = [];
    await page.goto(`${ORIGIN}/login`, { waitUntil: 'load' });
    await page.bringToFront();
    await page.evaluate(() => window.focus());
    const focusedIs = (sel) => page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), sel);
    let tabs = 0;
    while (!(await focusedIs('input[name="username"]')) && tabs < MAX_TABS_TO_USERNAME) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    if (!(await focusedIs('input[name="username"]'))) {
      loginProblems.push(`keyboard login: input[name=username] not focused after ${MAX_TABS_TO_USERNAME} Tab presses`);
    } else {
      await page.keyboard.type(role);
      let ptabs = 0;
      while (!(await focusedIs('input[name="password"]')) && ptabs < MAX_TABS_TO_PASSWORD) {
        await page.keyboard.press('Tab');
        ptabs++;
      }
      if (!(await focusedIs('input[name="password"]'))) {
        loginProblems.push(`keyboard login: input[name=password] not focused within ${MAX_TABS_TO_PASSWORD} Tab presses after username`);
      } else {
        await page.keyboard.type(PASSWORD);
        try {
          await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
        } catch (e) {
          loginProblems.push(`keyboard login: Enter in the password field did not navigate (${oneLine(e)})`);
        }
      }
    }
    let home = null;
    if (!loginProblems.length) {
      const after = await page.evaluate(() => {
        const visible = (el) => (typeof el.checkVisibility === 'function' ? el.checkVisibility() : el.getClientRects().length > 0);
        const alert = document.querySelector('[role=alert], .error, .errors, .flash');
        return {
          password: [...document.querySelectorAll('input[name="password"]')].filter(visible).length,
          h1: [...document.querySelectorAll('h1')].filter(visible).length,
          alert: alert ? (alert.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 120) : '',
        };
      });
      if (after.password > 0) {
        loginProblems.push(`keyboard login: still on a login page after Enter (${shortUrl(page.url())})${after.alert ? `: "${after.alert}"` : ''}`);
      } else {
        if (after.h1 !== 1) loginProblems.push(`page after login has ${after.h1} visible <h1> elements, expected exactly 1`);
        home = page.url();
      }
    }
    if (loginProblems.length) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${lang}-${role}-login-failed.png`), fullPage: true }).catch(() => {});
      record(lang, role, '(keyboard login)', loginProblems);
      if (!home) return;
    } else {
      console.log(`..  ${lang} ${role} logged in by keyboard (${tabs} Tab${tabs === 1 ? '' : 's'} to username) -> ${shortUrl(home)}`);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, `${lang}-${role}-home.png`), fullPage: true }).catch((e) => {
      console.log(`..  ${tag}: screenshot failed: ${e.message}`);
    });

    // 3. crawl, breadth first
    const seen = new Set();
    const perPath = new Map();
    const queue = [];
    const enqueue = (href) => {
      const n = normalise(href);
      if (seen.has(n)) return;
      const key = pathKey(n);
      const count = perPath.get(key) || 0;
      if (count >= MAX_PER_PATH) return;
      perPath.set(key, count + 1);
      seen.add(n);
      queue.push(n);
    };
    enqueue(home);
    // Pages deep enough that the crawl's cap might not reach them.
    for (const seed of SEEDS[role] || []) enqueue(`${ORIGIN}${seed}`);
    seen.add(normalise(`${ORIGIN}/login`));
    let checked = 0;
    while (queue.length && checked < MAX_PAGES) {
      const url = queue.shift();
      const res = await visit(url);
      if (res.status !== 'checked') continue;
      checked++;
      if (res.finalUrl) seen.add(normalise(res.finalUrl));
      let links = [];
      try {
        links = await page.$$eval('a[href]', (as) =>
          as.map((a) => ({
            raw: a.getAttribute('href'),
            abs: a.href,
            download: a.hasAttribute('download'),
            hreflang: a.getAttribute('hreflang'),
          })),
        );
      } catch {
        links = [];
      }
      for (const l of links) if (!skipReason(l, lang)) enqueue(l.abs);
    }
    const left = queue.length;
    console.log(`..  ${tag}: crawled ${checked} pages${left ? ` (cap ${MAX_PAGES} reached, ${left} queued links not visited)` : ''}`);
  } catch (e) {
    record(lang, role, '(run)', [`error: ${oneLine(e, 3)}`]);
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    profiles.delete(profile);
  }
}

// -------------------------------------------------------------------- main --

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`a11y: no browser at ${CHROMIUM} (apt-get install -y --no-upgrade chromium, or set CHROMIUM_PATH)`);
    printSummaryAndExit(`no browser at ${CHROMIUM}`);
    return;
  }
  const watchdog = setTimeout(() => {
    console.log(`a11y: whole run exceeded ${TOTAL_TIMEOUT_S}s, stopping`);
    printSummaryAndExit(`timed out after ${TOTAL_TIMEOUT_S}s`);
  }, TOTAL_TIMEOUT_S * 1000);
  watchdog.unref();

  console.log(`a11y: ${ORIGIN}, roles ${ROLES.join(',')}, languages ${LANGS.join(',')}, up to ${MAX_PAGES} pages each, ${CONCURRENCY} browser(s) at once`);
  const jobs = [];
  for (const lang of LANGS) for (const role of ROLES) jobs.push([role, lang]);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const [role, lang] = jobs[next++];
      await runOne(role, lang);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
  clearTimeout(watchdog);
  printSummaryAndExit();
}

main().catch((e) => {
  console.error(e);
  printSummaryAndExit(`unexpected error: ${e && e.message ? e.message : e}`);
});
