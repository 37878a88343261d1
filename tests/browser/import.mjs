#!/usr/bin/env node
// AbleWork browser check: a people file imported through the web, by
// keyboard alone, and every import page audited in Chinese and English.
//
//   node tests/browser/import.mjs [BASE_URL]   (default http://127.0.0.1:18080)
//
//   1. the district officer of 120101 logs in by keyboard and follows
//      "导入人员" from the people list to the upload page;
//   2. chooses the file with the keyboard (Space on the file field opens the
//      chooser, which is answered with the file this script wrote: a UTF-8
//      CSV with a byte-order mark, CRLF line ends and a quoted comma — 40
//      people of 和平区 and three bad rows: a wrong check digit, a person of
//      another district, a row without a name), leaves the encoding on
//      "detect" and presses the submit button;
//   3. lands on the job's page (/imports/N), which reloads itself while the
//      job runs; if it is still running, "停止自动刷新" stops that and the
//      page is audited without it; the page is then followed until the job
//      has finished;
//   4. the finished page: 43 rows read, 3 rejected, each bad row named by
//      its row number (42, 43, 44) with a reason; the error report link
//      answers an XLSX workbook; the same page in English;
//   5. the list of imports names the job, in Chinese and English.
// Every page visited is audited as in a11y.mjs (axe-core WCAG 2.0/2.1 A and
// AA, <html lang>, one <h1>, no JavaScript error, no other origin, no full
// resident ID number).
//
// It can run any number of times against the same database: a second run
// finds the 40 people registered and counts them unchanged.
//
// Output: one line per step, then `import: passed` (exit 0) or
// `import: FAILED — reason` (exit 1; screenshots in tests/browser/artifacts).
//
// Environment (all optional):
//   IMPORT_PASSWORD=ablework-demo    IMPORT_TIMEOUT_S=180 (whole run)
//   IMPORT_NAV_TIMEOUT_MS=30000      CHROMIUM_PATH=/usr/bin/chromium
//   A11Y_ARTIFACTS=tests/browser/artifacts

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  activate,
  audit,
  cfg,
  check,
  configure,
  launch,
  login,
  openSession,
  residentId,
  run,
  shortUrl,
  step,
  summaryList,
  switchLanguage,
  tabTo,
  text,
} from './lib.mjs';

configure({ name: 'import', envPrefix: 'IMPORT', timeoutS: 180 });

const GOOD = 40;
const SURNAMES = ['赵', '钱', '孙', '李', '周', '吴', '郑', '王'];
const GIVEN = ['晓明', '丽华', '建国', '秀英', '志强'];

/** The file: 40 people of 和平区, then three bad rows (rows 42–44; the header is row 1). */
function peopleFile() {
  const lines = ['姓名,身份证号,残疾证号,所属区,街道,户籍类型,联系电话,文化程度,就业状态'];
  const born = (y, m, d) => new Date(Date.UTC(y, m - 1, d));
  for (let i = 0; i < GOOD; i++) {
    const id = residentId('120101', born(1970 + (i % 25), 1 + (i % 9), 10 + (i % 10)), 700 + i);
    const name = SURNAMES[i % SURNAMES.length] + GIVEN[i % GIVEN.length];
    const street = i === 0 ? '"劝业场街道,和平路 1 号"' : '劝业场街道';
    lines.push(`${name},${id},${id}2${1 + (i % 4)},和平区,${street},城镇,,高中,未就业`);
  }
  const good = residentId('120101', born(1980, 1, 1), 801);
  const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  lines.push(`钱多多,${wrongCheck},${wrongCheck}21,和平区,,城镇,,高中,未就业`);
  const other = residentId('120102', born(1982, 2, 2), 802);
  lines.push(`孙不在,${other},${other}31,河东区,,城镇,,高中,未就业`);
  const noName = residentId('120101', born(1983, 3, 3), 803);
  lines.push(`,${noName},${noName}41,和平区,,城镇,,高中,未就业`);
  const file = path.join(os.tmpdir(), `ablework-import-${process.pid}.csv`);
  fs.writeFileSync(file, `\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
  return file;
}

/** The job page's counts, by their labels. */
async function counts(page) {
  const list = await summaryList(page);
  const number = (label) => Number.parseInt(list[label] ?? '', 10);
  return { read: number('读取行数') || number('Rows read'), rejected: number('未导入') || number('Rejected') };
}

async function rejectedRows(page) {
  return page.$$eval('main table tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
  );
}

run(async () => {
  await launch();
  const file = peopleFile();
  const officer = await openSession('officer');
  const { page } = officer;
  let jobUrl = '';

  await step('the officer logs in and opens the upload page from the people list', async () => {
    await login(officer);
    await page.goto(new URL('/persons?lang=zh', cfg.ORIGIN).href, { waitUntil: 'load' });
    await audit(officer, 'people list');
    const resp = await activate(page, 'main a[href="/persons/import"]', { what: 'the import link' });
    check(resp && resp.status() === 200, `the import page answered HTTP ${resp && resp.status()}`);
    await audit(officer, 'upload page');
  });

  await step('chooses the file by keyboard and uploads it', async () => {
    await tabTo(page, '#file', { what: 'the file field' });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles(file);
    const encoding = await page.$eval('#encoding', (el) => el.value);
    check(encoding === 'auto', `the encoding is ${encoding}, expected detect`);
    const resp = await activate(page, 'main form button[type="submit"]', { what: 'the import button' });
    check(resp && resp.status() === 200, `the upload answered HTTP ${resp && resp.status()}`);
    jobUrl = new URL(page.url()).pathname;
    check(/^\/imports\/\d+$/.test(jobUrl), `the upload led to ${shortUrl(page.url())}, not a job page`);
    await audit(officer, 'job page (first view)');
    return jobUrl;
  });

  await step('follows the job until it has finished', async () => {
    const running = await page.$('a[href$="?refresh=off"]');
    let detail = 'finished before the first view';
    if (running) {
      const reload = await page.$('progress');
      check(reload, 'a running job shows a progress bar');
      const resp = await activate(page, 'main a[href$="?refresh=off"]', { what: 'the stop-reloading link' });
      check(resp && resp.status() === 200, `stopping the reload answered HTTP ${resp && resp.status()}`);
      check(!resp.headers().refresh, 'the page still asks to reload after "stop"');
      await audit(officer, 'job page, not reloading');
      detail = 'seen running; reloading stopped';
    }
    for (let i = 0; i < 120; i++) {
      await page.goto(new URL(`${jobUrl}?lang=zh`, cfg.ORIGIN).href, { waitUntil: 'load' });
      if (!(await page.$('progress'))) break;
      await page.waitForTimeout(500);
    }
    check(!(await page.$('progress')), 'the job did not finish within a minute');
    await audit(officer, 'job page (finished)');
    return detail;
  });

  await step('the finished job names the rejected rows and offers the error report', async () => {
    const seen = await counts(page);
    check(seen.read === GOOD + 3, `rows read ${seen.read}, expected ${GOOD + 3}`);
    check(seen.rejected === 3, `rows rejected ${seen.rejected}, expected 3`);
    const rows = await rejectedRows(page);
    const numbers = [...new Set(rows.map((r) => r[0]))];
    check(JSON.stringify(numbers) === JSON.stringify(['42', '43', '44']), `rejected rows ${JSON.stringify(numbers)}, expected 42, 43, 44`);
    check(rows.every((r) => r[2]), 'every rejected row has a reason');
    const href = await page.$eval('main a[href$="/report.xlsx"]', (a) => a.getAttribute('href')).catch(() => null);
    check(href, 'no error report link');
    const report = await page.request.get(new URL(href, cfg.ORIGIN).href);
    check(report.status() === 200, `the error report answered HTTP ${report.status()}`);
    const body = await report.body();
    check(body.subarray(0, 2).toString() === 'PK', 'the error report is not an XLSX workbook');
    await switchLanguage(officer, 'en');
    const en = await text(page, 'main caption');
    check(/Rows not imported/.test(en || ''), `the English page's table caption is ${JSON.stringify(en)}`);
    return `${rows.length} reasons, report ${body.length} bytes`;
  });

  await step('the list of imports names the job', async () => {
    for (const lang of ['en', 'zh']) {
      officer.lang = lang;
      await page.goto(new URL(`/imports?lang=${lang}`, cfg.ORIGIN).href, { waitUntil: 'load' });
      check(await page.$(`main a[href="${jobUrl}"]`), `the ${lang} list does not link ${jobUrl}`);
      await audit(officer, `imports list`);
    }
  });
  fs.rmSync(file, { force: true });
});
