// The embedded programme as another site shows it, in real Chromium: a page served from another
// origin (a second small HTTP server) frames it — with JavaScript, the host's resizer fits the
// frame to its content; without, it scrolls and its pages work inside the frame — while framing
// any other page is refused. axe on the embedded programme and on « Intégrer le programme ».
import t from 'tap';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { axeViolations, openSuite, screenshot } from './harness.ts';
import { audit, auditHere } from './audit.ts';

const suite = await openSuite(t);

/** A host site on another origin: / frames the embedded programme, /refuse frames /programme. */
async function hostSite(appUrl: string): Promise<{ url: string; server: Server }> {
  const page = (title: string, frame: string) =>
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${frame}</body></html>`;
  const server = createServer((request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (request.url === '/') {
      response.end(
        page(
          'Site de la commune',
          `<iframe id="programme" src="${appUrl}/integrer/programme" title="Programme des SISM" style="width: 100%; height: 300px; border: 0;"></iframe>` +
            `<script src="${appUrl}/integrer/hauteur.js" async></script>`,
        ),
      );
    } else if (request.url === '/refuse') {
      response.end(page('Site qui cadre le programme complet', `<iframe id="programme" src="${appUrl}/programme" title="Programme" style="width: 100%; height: 300px;"></iframe>`));
    } else {
      response.statusCode = 404;
      response.end('');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Another port: another origin than the app's.
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

if (suite) {
  const host = await hostSite(suite.baseUrl);
  t.teardown(() => new Promise<void>((resolve) => host.server.close(() => resolve())));

  t.test('framed by another site, with JavaScript: it loads, fits its content, and events open on the site', async (t) => {
    const { page } = await suite.newPage();
    await page.goto(`${host.url}/`);
    const frame = page.frameLocator('#programme');
    await frame.getByRole('heading', { level: 1 }).waitFor();
    t.match(await frame.getByRole('heading', { level: 1 }).innerText(), /^Programme 2026/);
    const events = frame.locator('.event-title a');
    t.ok((await events.count()) > 0, 'the events are listed inside the frame');
    t.equal(await frame.getByRole('link', { name: /^Programme complet sur 127\.0\.0\.1/ }).getAttribute('target'), '_top');
    // The resizer on the host page follows the height the frame reports.
    await page.waitForFunction(() => (document.getElementById('programme') as HTMLIFrameElement).getBoundingClientRect().height > 300);
    const { frameHeight, contentHeight } = await page.evaluate(async () => {
      const iframe = document.getElementById('programme') as HTMLIFrameElement;
      return { frameHeight: iframe.getBoundingClientRect().height, contentHeight: Number(iframe.style.height.replace('px', '')) };
    });
    t.ok(frameHeight > 300, `the frame grew to its content (${frameHeight} px)`);
    t.equal(Math.round(frameHeight), contentHeight, 'to the height the page reported');
    await screenshot(page, 'integration-site-hote');

    const title = await events.first().innerText();
    await events.first().click();
    await page.waitForURL(new RegExp(`^${suite.baseUrl}/evenements/\\d+$`));
    t.equal(await page.getByRole('heading', { level: 1 }).innerText(), title, 'the event opens on the site, in the whole window');
  });

  t.test('framed without JavaScript: a fixed height, and the pages turn inside the frame', async (t) => {
    const { page } = await suite.newPage({ javaScriptEnabled: false });
    await page.goto(`${host.url}/`);
    const frame = page.frameLocator('#programme');
    await frame.getByRole('heading', { level: 1 }).waitFor();
    t.equal(Math.round(await page.locator('#programme').evaluate((e) => e.getBoundingClientRect().height)), 300, 'the height the snippet gives');
    // The demo's whole programme has more than one page; the frame's own links move in it.
    const embedded = page.frames().find((f) => f.url().startsWith(`${suite.baseUrl}/integrer/programme`));
    t.ok(embedded, 'the frame shows the embedded programme');
    await embedded!.getByRole('link', { name: 'Page suivante' }).click();
    await embedded!.waitForURL(/page=2$/);
    t.match(await embedded!.locator('.pagination [aria-current="page"]').innerText(), /^Page 2 sur/);
    t.equal(page.url(), `${host.url}/`, 'the host page stays');
  });

  t.test('framing any other page is refused', async (t) => {
    const { page } = await suite.newPage();
    const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
    await page.goto(`${host.url}/refuse`);
    t.match((await refused).text(), /violates the following Content Security Policy directive: "frame-ancestors 'none'"/, 'Chromium refuses it');
    const framed = page.frames().find((f) => f !== page.mainFrame());
    t.notMatch(framed?.url() ?? '', /\/programme$/, 'the frame holds an error, not the programme');
    t.equal(await page.frameLocator('#programme').locator('.event-title').count(), 0, 'nothing of the programme shows');
  });

  t.test('axe: the embedded programme and « Intégrer le programme », whose copy button speaks', async (t) => {
    const { context, page, csp } = await suite.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await audit(t, suite, page, 'programme-integre', '/integrer/programme');
    await audit(t, suite, page, 'programme-integre-filtre', '/integrer/programme?access=lsf&page=1');
    await audit(t, suite, page, 'programme-integre-vide', '/integrer/programme?q=xylophonezzz');
    await audit(t, suite, page, 'integrer', '/integrer');
    // Choosing filters without JavaScript's help: the GET form renders the snippet again.
    await page.getByRole('checkbox', { name: /Interprétation LSF/ }).check();
    await page.getByRole('button', { name: 'Mettre à jour le code' }).click();
    await page.waitForURL(/\/integrer\?.*access=lsf/);
    t.match(await page.getByLabel(/^Code à coller/).inputValue(), /\/integrer\/programme\?access=lsf/);
    await page.frameLocator('iframe.embed-preview').getByRole('heading', { level: 1 }).waitFor();
    await auditHere(t, page, 'integrer-filtre');
    // The preview frame is checked too: an image without a text alternative put inside it is found.
    await page.frameLocator('iframe.embed-preview').locator('h1').evaluate((h1) => h1.insertAdjacentHTML('afterend', '<img id="sans-alt" width="10" height="10">'));
    const found = await axeViolations(page);
    t.ok(found.some((v) => v.id === 'image-alt' && v.nodes.some((n) => n.target.flat().includes('#sans-alt'))), 'axe finds a violation inside the preview frame');
    await page.reload();
    await page.getByRole('button', { name: 'Copier le code' }).click();
    await page.waitForFunction(() => /Code copié/.test(document.getElementById('status')?.textContent ?? ''));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    t.equal(copied, await page.getByLabel(/^Code à coller/).inputValue(), 'the snippet is on the clipboard');
    csp.assertNone(t, 'embed pages');
    await context.close();
  });
}
