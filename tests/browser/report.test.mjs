// mamori — browser test of the HTML report: Debian's Chromium (headless,
// driven by playwright-core, no browser download) opens report.html from
// file://; no console error, no network request, every section present,
// every chart a non-empty SVG; a full-page screenshot (and a phone-width
// one) are saved as test artifacts. Usage: node report.test.mjs REPORT.html OUTDIR
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [report, outdir] = process.argv.slice(2);
if (!report || !outdir) {
  console.error('usage: node report.test.mjs REPORT.html OUTDIR');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'mm-chromium-'));
const failures = [];
const fail = (m) => { failures.push(m); console.error('FAIL: ' + m); };

const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.MM_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1100, height: 900 },
});
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  const url = pathToFileURL(resolve(report)).href;
  page.on('console', (m) => { if (m.type() === 'error') fail('console error: ' + m.text()); });
  page.on('pageerror', (e) => fail('page error: ' + e.message));
  page.on('request', (r) => { if (r.url() !== url) fail('network request: ' + r.url()); });
  await page.goto(url, { waitUntil: 'load' });

  for (const id of ['summary', 'top', 'access', 'vulnerabilities', 'personal-data', 'trends',
                    'coverage', 'actions', 'loss-model', 'evidence']) {
    const n = await page.locator(`section#${id} h2`).count();
    if (n !== 1) fail(`section #${id} missing`);
  }
  for (const id of ['chart-time', 'chart-class', 'chart-loss']) {
    const svg = page.locator(`svg#${id}`);
    if ((await svg.count()) !== 1) { fail(`chart ${id} missing`); continue; }
    const box = await svg.boundingBox();
    const marks = await svg.locator('rect, circle').count();
    if (!box || box.width < 100 || box.height < 20) fail(`chart ${id} not rendered`);
    if (marks < 1) fail(`chart ${id} has no bars`);
  }
  const refs = await page.locator('ol.refs li').count();
  if (refs < 1) fail('no evidence references');
  // every [n] link in the text points at an existing reference
  const broken = await page.evaluate(() => [...document.querySelectorAll('a[href^="#ref-"]')]
    .filter((a) => !document.getElementById(a.getAttribute('href').slice(1))).length);
  if (broken) fail(`${broken} evidence links point nowhere`);
  await page.screenshot({ path: join(outdir, 'report.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 2) fail(`page is ${overflow}px wider than a phone screen`);
  await page.screenshot({ path: join(outdir, 'report-phone.png'), fullPage: false });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: join(outdir, 'report.pdf'), format: 'A4' });
  console.log(`browser: ${refs} evidence references, screenshots in ${outdir}`);
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failures.length ? 1 : 0);
