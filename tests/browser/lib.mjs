// Shared helpers of the keyboard-only browser checks (case.mjs,
// declaration.mjs, jobs.mjs).
//
// A check calls configure() once with its name, environment prefix and the
// few ways it differs (see configure), then uses the helpers: every form is
// filled with the keyboard only (Tab / Shift+Tab, typing, Space, arrow keys,
// Enter); the DOM is read only to decide how many Tabs to press and to read
// results; page.goto is used only to open a known URL (visit). Every page is
// audited with axe-core (WCAG 2.0/2.1 A and AA) plus <html lang>, exactly one
// visible <h1>, no uncaught JavaScript error, no request to another origin
// and no full identifier (state.secrets, and with cfg.scanIds any valid
// resident ID number).

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core');
export const HERE = path.dirname(fileURLToPath(import.meta.url));

export const MAX_TABS = 250; // Tab presses allowed to reach one element

export const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations'],
};
const LANG_OK = {
  zh: /^zh(-(CN|Hans|Hans-CN))?$/i,
  en: /^en(-[A-Za-z]{2})?$/i,
};

// ---------------------------------------------------------------- settings --

/** What configure() read; filled in once per process. */
export const cfg = {
  name: 'check',
  BASE: null,
  ORIGIN: '',
  PASSWORD: 'ablework-demo',
  TOTAL_TIMEOUT_S: 180,
  NAV_TIMEOUT_MS: 30000,
  CHROMIUM: '/usr/bin/chromium',
  ARTIFACTS: path.join(HERE, 'artifacts'),
  scanIds: true, // audit: flag any valid full resident ID, not only state.secrets
  langTag: true, // audit: name the session's language in a failure ("[zh]")
  urlHash: true, // shortUrl: keep the #fragment
};

export function envInt(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number.parseInt(v, 10);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`${cfg.name}: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
}

/**
 * Read the base URL (argv[2] or PREFIX_BASE_URL) and the knobs
 * PREFIX_PASSWORD, PREFIX_TIMEOUT_S, PREFIX_NAV_TIMEOUT_MS, CHROMIUM_PATH and
 * A11Y_ARTIFACTS. `scanIds`, `langTag` and `urlHash` set the cfg fields of
 * those names (all on by default).
 */
export function configure({
  name,
  envPrefix,
  timeoutS = 180,
  defaultBase = 'http://127.0.0.1:18080',
  scanIds = true,
  langTag = true,
  urlHash = true,
}) {
  cfg.name = name;
  cfg.scanIds = scanIds;
  cfg.langTag = langTag;
  cfg.urlHash = urlHash;
  const rawBase = process.argv[2] || process.env[`${envPrefix}_BASE_URL`] || defaultBase;
  try {
    cfg.BASE = new URL(rawBase);
    if (!/^https?:$/.test(cfg.BASE.protocol)) throw new Error('not http(s)');
  } catch {
    console.error(`usage: node ${name}.mjs [BASE_URL]   (got ${JSON.stringify(rawBase)})`);
    process.exit(2);
  }
  cfg.ORIGIN = cfg.BASE.origin;
  cfg.PASSWORD = process.env[`${envPrefix}_PASSWORD`] || 'ablework-demo';
  cfg.TOTAL_TIMEOUT_S = envInt(`${envPrefix}_TIMEOUT_S`, timeoutS);
  cfg.NAV_TIMEOUT_MS = envInt(`${envPrefix}_NAV_TIMEOUT_MS`, 30000);
  cfg.CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  cfg.ARTIFACTS = process.env.A11Y_ARTIFACTS || path.join(HERE, 'artifacts');
  return cfg;
}

// ----------------------------------------------------------------- helpers --

export class Failure extends Error {}
export function fail(reason) {
  throw new Failure(reason);
}
export function check(cond, reason) {
  if (!cond) fail(reason);
}

export function oneLine(e, lines = 1) {
  // eslint-disable-next-line no-control-regex
  const text = String(e && (e.stack || e.message) ? e.stack || e.message : e).replace(/\x1b\[[0-9;]*m/g, '');
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, lines).join(' | ');
}

export function shortUrl(href) {
  try {
    const u = new URL(href);
    return u.origin === cfg.ORIGIN ? u.pathname + u.search + (cfg.urlHash ? u.hash : '') : u.href;
  } catch {
    return String(href);
  }
}

export const pad2 = (n) => String(n).padStart(2, '0');

/** GB 11643 check character of the first 17 digits. */
export function idCheckChar(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return '10X98765432'[sum % 11];
}

/** An 18-character resident ID: area, birth date, 3-digit sequence (odd = male), check. */
export function residentId(area, birth, seq) {
  const body = `${area}${birth.getUTCFullYear()}${pad2(birth.getUTCMonth() + 1)}${pad2(birth.getUTCDate())}${String(seq).padStart(3, '0')}`;
  return body + idCheckChar(body);
}

/**
 * Every full resident ID number in `text`: 18 characters, a plausible birth
 * date (1900–2099) and a valid check character. A masked number
 * (120101********1234) does not match.
 */
export function fullIdNumbers(text) {
  const found = new Set();
  for (const m of String(text).matchAll(/(?<![0-9A-Za-z])(\d{17}[\dXx])/g)) {
    const id = m[1].toUpperCase();
    const y = Number(id.slice(6, 10));
    const mo = Number(id.slice(10, 12));
    const d = Number(id.slice(12, 14));
    if (y < 1900 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31) continue;
    if (idCheckChar(id.slice(0, 17)) !== id[17]) continue;
    found.add(id);
  }
  return [...found];
}

/** Today in China Standard Time (UTC+8), as the app counts days. */
export function chinaToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// ------------------------------------------------------------------ browser --

export const state = {
  browser: null,
  sessions: [], // {role, lang, context, page, errors, external}
  audited: 0,
  auditedEn: 0,
  secrets: [], // full ID / certificate numbers that no page may show
};

/** Fail unless the browser binary is there (launch checks it too). */
export function requireChromium() {
  check(fs.existsSync(cfg.CHROMIUM), `no browser at ${cfg.CHROMIUM} (apt-get install -y --no-upgrade chromium, or set CHROMIUM_PATH)`);
}

export async function launch() {
  requireChromium();
  state.browser = await chromium.launch({
    executablePath: cfg.CHROMIUM,
    headless: true,
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
  return state.browser;
}

/** A browser context of its own for one account; `role` is also the username. */
export async function openSession(role) {
  const context = await state.browser.newContext({
    bypassCSP: true, // lets axe-core be injected under a strict Content-Security-Policy
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
  context.setDefaultNavigationTimeout(cfg.NAV_TIMEOUT_MS);
  context.setDefaultTimeout(cfg.NAV_TIMEOUT_MS);
  const s = { role, lang: 'zh', context, page: null, errors: [], external: new Set() };
  await context.route(
    (u) => /^https?:$/.test(u.protocol) && u.origin !== cfg.ORIGIN,
    (route) => {
      s.external.add(route.request().url());
      return route.abort();
    },
  );
  s.page = await context.newPage();
  s.page.on('pageerror', (e) => s.errors.push(String(e && e.message ? e.message : e).split('\n')[0]));
  state.sessions.push(s);
  return s;
}

/**
 * Audit the page as loaded: axe-core, <html lang> of the session's language,
 * one <h1>, no JavaScript error, no other origin, and (unless it is a form
 * echoing what was typed) no full ID number in the HTML: none of
 * state.secrets and, with cfg.scanIds, no other valid 18-character resident ID.
 */
export async function audit(s, label, { masked = true } = {}) {
  const { page } = s;
  const problems = [];
  const facts = await page.evaluate(() => {
    const visible = (el) => (typeof el.checkVisibility === 'function' ? el.checkVisibility() : el.getClientRects().length > 0);
    return {
      lang: document.documentElement.getAttribute('lang'),
      h1: [...document.querySelectorAll('h1')].filter(visible).length,
    };
  });
  if (!LANG_OK[s.lang].test(facts.lang || '')) problems.push(`<html lang="${facts.lang}">, expected ${s.lang}`);
  if (facts.h1 !== 1) problems.push(`${facts.h1} visible <h1> elements, expected exactly 1`);
  if (s.errors.length) problems.push(`JavaScript error: ${[...new Set(s.errors)].slice(0, 3).join(' | ')}`);
  if (s.external.size) problems.push(`requests to other origins: ${[...s.external].slice(0, 3).join(', ')}`);
  if (masked && (cfg.scanIds || state.secrets.length)) {
    const html = await page.content();
    for (const secret of state.secrets) {
      if (html.includes(secret)) problems.push(`shows the full identifier ${secret.slice(0, 6)}… (must be masked)`);
    }
    if (cfg.scanIds) {
      for (const id of fullIdNumbers(html)) {
        if (!state.secrets.includes(id)) problems.push(`shows a full ID number ${id.slice(0, 6)}…${id.slice(-1)} (must be masked)`);
      }
    }
  }
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async (opts) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, opts);
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.map(String).join(' >>> ')),
      summary: v.nodes[0]?.failureSummary || '',
    }));
  }, AXE_OPTIONS);
  for (const v of violations) {
    problems.push(`axe ${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${v.targets.join(', ')}${v.summary ? ` — ${v.summary.replace(/\s*\n\s*/g, ' | ')}` : ''}`);
  }
  state.audited++;
  if (s.lang === 'en') state.auditedEn++;
  s.errors.length = 0;
  s.external.clear();
  const lang = cfg.langTag ? ` [${s.lang}]` : '';
  if (problems.length) fail(`${s.role} ${label}${lang} (${shortUrl(page.url())}): ${problems.join('; ')}`);
}

/** Navigate by URL (allowed), check the status and audit the page. */
export async function visit(s, url, { status = 200, label, masked } = {}) {
  const resp = await s.page.goto(new URL(url, cfg.ORIGIN).href, { waitUntil: 'load' });
  const st = resp ? resp.status() : 0;
  check(st === status, `${s.role} GET ${shortUrl(url)}: HTTP ${st}, expected ${status}`);
  await audit(s, label || shortUrl(url), { masked });
  return resp;
}

export async function activeInfo(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body || a === document.documentElement) return null;
    return {
      tag: a.tagName.toLowerCase(),
      id: a.id,
      name: a.getAttribute('name'),
      href: a.getAttribute('href'),
      text: (a.textContent || a.value || '').trim().replace(/\s+/g, ' ').slice(0, 60),
    };
  });
}

/**
 * Press Tab (or Shift+Tab when the element lies before the focus) until the
 * focused element matches `selector` and, if given, contains `text`.
 */
export async function tabTo(page, selector, { text = null, what = selector } = {}) {
  const where = () =>
    page.evaluate(
      ({ selector, text }) => {
        const matches = (el) => !!el && el.matches(selector) && (!text || (el.textContent || el.value || '').includes(text));
        const a = document.activeElement;
        if (matches(a)) return 'here';
        const target = [...document.querySelectorAll(selector)].find(matches);
        if (!target) return 'absent';
        if (!a || a === document.body || a === document.documentElement) return 'forward';
        return a.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING ? 'back' : 'forward';
      },
      { selector, text },
    );
  const first = await where();
  check(first !== 'absent', `no ${what} on ${shortUrl(page.url())}`);
  let presses = 0;
  for (let st = first; st !== 'here'; st = await where()) {
    if (st === 'absent') fail(`${what} disappeared from ${shortUrl(page.url())}`);
    if (presses >= MAX_TABS) {
      const at = await activeInfo(page);
      fail(`${what} not reached after ${MAX_TABS} Tab presses on ${shortUrl(page.url())} (focus on ${JSON.stringify(at)})`);
    }
    await page.keyboard.press(st === 'back' ? 'Shift+Tab' : 'Tab');
    presses++;
  }
  return presses;
}

/** Put `value` in text field or text area #id by keyboard (select all, delete, type); no-op if already there. */
export async function typeInto(page, id, value) {
  const current = await page.$eval(`#${id}`, (el) => el.value).catch(() => fail(`no field #${id} on ${shortUrl(page.url())}`));
  if (current === value) return false;
  await tabTo(page, `#${id}`);
  if (current !== '') {
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
  }
  if (value !== '') await page.keyboard.type(value);
  const now = await page.$eval(`#${id}`, (el) => el.value);
  check(now === value, `#${id}: typed ${JSON.stringify(value)} but the field holds ${JSON.stringify(now)}`);
  return true;
}

/** Tick or untick check box #id with Space. */
export async function setCheckbox(page, id, want) {
  const current = await page.$eval(`#${id}`, (el) => el.checked).catch(() => fail(`no check box #${id} on ${shortUrl(page.url())}`));
  if (current === want) return false;
  await tabTo(page, `#${id}`);
  await page.keyboard.press('Space');
  const now = await page.$eval(`#${id}`, (el) => el.checked);
  check(now === want, `#${id}: Space did not ${want ? 'tick' : 'untick'} the check box`);
  return true;
}

/** Tick exactly the boxes of group `name` whose values are in `values`. */
export async function tickExactly(page, name, values) {
  const ids = await page.$$eval(`main input[type="checkbox"][name="${name}"]`, (els) => els.map((e) => [e.id, e.value]));
  check(ids.length > 0, `no check boxes named ${name} on ${shortUrl(page.url())}`);
  for (const v of values) check(ids.some(([, value]) => value === v), `no check box ${name}=${v} on ${shortUrl(page.url())}`);
  for (const [id, value] of ids) await setCheckbox(page, id, values.includes(value));
}

/** Choose the option with `value` in select #id with the arrow keys. */
export async function choose(page, id, value) {
  const at = await page
    .$eval(`#${id}`, (el, v) => {
      // Arrow keys skip disabled options and optgroup labels: count enabled options only.
      const options = [...el.options].filter((o) => !o.disabled);
      return { now: options.indexOf(el.options[el.selectedIndex]), want: options.findIndex((o) => o.value === v) };
    }, value)
    .catch(() => fail(`no select #${id} on ${shortUrl(page.url())}`));
  check(at.want >= 0, `#${id} has no option ${JSON.stringify(value)}`);
  if (at.now === at.want) return false;
  await tabTo(page, `#${id}`);
  const key = at.want > at.now ? 'ArrowDown' : 'ArrowUp';
  for (let i = 0; i < Math.abs(at.want - at.now); i++) await page.keyboard.press(key);
  const now = await page.$eval(`#${id}`, (el) => el.value);
  check(now === value, `#${id}: arrow keys chose ${JSON.stringify(now)}, wanted ${JSON.stringify(value)}`);
  return true;
}

/**
 * Choose the radio button with `value` in group `name` with the arrow keys:
 * Tab lands on the checked radio of the group (or its first), ArrowDown /
 * ArrowUp move and check.
 */
export async function chooseRadio(page, name, value) {
  const at = await page
    .$$eval(`main input[type="radio"][name="${name}"]`, (els, v) => ({
      ids: els.map((e) => e.id),
      now: els.findIndex((e) => e.checked),
      want: els.findIndex((e) => e.value === v),
    }), value)
    .catch(() => fail(`no radio group ${name} on ${shortUrl(page.url())}`));
  check(at.ids.length > 0, `no radio group ${name} on ${shortUrl(page.url())}`);
  check(at.want >= 0, `radio group ${name} has no value ${JSON.stringify(value)}`);
  if (at.now === at.want) return false;
  const start = at.now >= 0 ? at.now : 0;
  await tabTo(page, `[id="${at.ids[start]}"]`, { what: `the radio group ${name}` });
  const key = at.want > start ? 'ArrowDown' : 'ArrowUp';
  for (let i = 0; i < Math.abs(at.want - start); i++) await page.keyboard.press(key);
  // With none checked, the wanted radio may be the first: Space checks it.
  if (at.want === start) await page.keyboard.press('Space');
  const now = await page.$$eval(`main input[type="radio"][name="${name}"]`, (els) => els.find((e) => e.checked)?.value ?? null);
  check(now === value, `radio group ${name}: arrow keys chose ${JSON.stringify(now)}, wanted ${JSON.stringify(value)}`);
  return true;
}

/** Tab to a link or button and press Enter; returns the navigation's response. */
export async function activate(page, selector, opts = {}) {
  await tabTo(page, selector, opts);
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  return resp;
}

/** Log in with the keyboard alone, as a11y.mjs does; Chinese is asked for with ?lang=zh. */
export async function login(s, username = s.role) {
  const { page, role } = s;
  s.lang = 'zh';
  await visit(s, '/login?lang=zh', { label: 'login' });
  await tabTo(page, 'input[name="username"]');
  await page.keyboard.type(username);
  await tabTo(page, 'input[name="password"]');
  await page.keyboard.type(cfg.PASSWORD);
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  const stillLogin = await page.$('input[name="password"]');
  check(!stillLogin, `${role}: still on the login page after Enter (${shortUrl(page.url())})`);
  check(resp && resp.status() === 200, `${role}: page after login answered HTTP ${resp ? resp.status() : 'none'}`);
  await audit(s, 'home');
}

/** Follow the header's language switch ("English" / "中文") by keyboard. */
export async function switchLanguage(s, to) {
  const { page } = s;
  const label = to === 'en' ? 'English' : '中文';
  const before = new URL(page.url()).pathname;
  const resp = await activate(page, 'header a.lang-switch', { text: label, what: `the "${label}" link` });
  check(resp && resp.status() === 200, `the "${label}" link answered HTTP ${resp && resp.status()}`);
  check(new URL(page.url()).pathname === before, `the "${label}" link left ${before} for ${shortUrl(page.url())}`);
  s.lang = to;
  await audit(s, `${shortUrl(page.url())} after "${label}"`);
}

export async function text(page, selector) {
  return page.$eval(selector, (el) => el.textContent.trim().replace(/\s+/g, ' ')).catch(() => null);
}

/** The rows of the summary lists within `scope` ('' for the whole page): {dt: dd}. */
export async function summaryList(page, scope = 'main') {
  const selector = scope ? `${scope} dl.summary-list > div` : 'dl.summary-list > div';
  return page.$$eval(selector, (divs) =>
    Object.fromEntries(
      divs.map((d) => [d.querySelector('dt')?.textContent.trim() ?? '', d.querySelector('dd')?.textContent.trim().replace(/\s+/g, ' ') ?? '']),
    ),
  );
}

export async function errorSummary(page) {
  return page.evaluate(() => {
    const box = document.querySelector('.error-summary');
    if (!box) return null;
    return {
      role: box.getAttribute('role'),
      tabindex: box.getAttribute('tabindex'),
      title: box.querySelector('h2')?.textContent.trim() ?? '',
      links: [...box.querySelectorAll('a')].map((a) => ({
        href: a.getAttribute('href'),
        text: a.textContent.trim(),
        target: !!document.getElementById(decodeURIComponent((a.getAttribute('href') || '#').slice(1))),
      })),
    };
  });
}

export async function errorText(page) {
  const errors = await errorSummary(page).catch(() => null);
  if (errors && errors.links.length) return `: ${errors.links.map((l) => `${l.href} ${l.text}`).join('; ')}`;
  const h1 = await text(page, 'h1').catch(() => null);
  return h1 ? ` ("${h1}")` : '';
}

// ------------------------------------------------------------------- steps --

const progress = { no: 0, title: 'setup' };
export const where = () => (progress.no ? `step ${progress.no} (${progress.title})` : progress.title);

/** Run one step; print `ok  N. title (secs, pages audited) — detail`. */
export async function step(title, fn) {
  progress.no++;
  progress.title = title;
  const t0 = Date.now();
  const before = state.audited;
  const detail = await fn();
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const n = state.audited - before;
  console.log(`ok  ${progress.no}. ${title} (${secs}s, ${n} page${n === 1 ? '' : 's'} audited)${detail ? ` — ${detail}` : ''}`);
}

/**
 * Run `main` under the whole-run watchdog; print `<name>: passed` (exit 0)
 * or `<name>: FAILED — reason` (exit 1, a screenshot of every session in
 * cfg.ARTIFACTS).
 */
export function run(main) {
  let done = false;
  async function finish(problem) {
    if (done) return;
    done = true;
    if (problem) {
      fs.mkdirSync(cfg.ARTIFACTS, { recursive: true });
      for (const s of state.sessions) {
        const file = path.join(cfg.ARTIFACTS, `${cfg.name}-failed-${s.role}.png`);
        await s.page?.screenshot({ path: file, fullPage: true }).then(
          () => console.log(`screenshot: ${path.relative(process.cwd(), file)} (${shortUrl(s.page.url())})`),
          () => {},
        );
      }
    }
    if (state.browser) await state.browser.close().catch(() => {});
    if (problem) {
      console.log(`${cfg.name}: FAILED — ${problem}`);
      process.exit(1);
    }
    console.log(`${cfg.name}: passed`);
    process.exit(0);
  }
  const watchdog = setTimeout(() => {
    finish(`the whole run exceeded ${cfg.TOTAL_TIMEOUT_S}s, in ${where()}`);
  }, cfg.TOTAL_TIMEOUT_S * 1000);
  watchdog.unref();
  main().then(
    () => finish(null),
    (e) => finish(e instanceof Failure ? `${where()}: ${e.message}` : `${where()}: unexpected error: ${oneLine(e, 3)}`),
  );
}
