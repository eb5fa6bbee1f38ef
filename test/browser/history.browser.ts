// The programme's filters and the browser's Back button, with JavaScript on (issue 15, item 8):
// after htmx filtering, Back must show the filters of the list shown, and ticking one more box
// must keep them. Fails on the main before issue 15: the restored form was blank (htmx restores
// a snapshot of the attributes, not of what was ticked), and the next tick dropped the rest.
import t from 'tap';
import { openSuite } from './harness.ts';

const suite = await openSuite(t);

if (suite) {
  t.test('filter, filter again, Back: the form shows the filters of the list shown', async (t) => {
    const { page, csp } = await suite.newPage();
    await page.goto('/programme');
    const lsf = page.getByRole('checkbox', { name: /Interprétation LSF/ });
    const wheelchair = page.getByRole('checkbox', { name: /fauteuil/i });
    const companion = page.getByRole('checkbox', { name: /accompagn/i });

    await lsf.check();
    await page.waitForURL(/\?access=lsf$/);
    await wheelchair.check();
    await page.waitForURL(/\?access=lsf&access=wheelchair$/);

    await page.goBack();
    await page.waitForURL(/\?access=lsf$/);
    await page.waitForFunction(() => !(document.querySelector('input[value="wheelchair"]') as HTMLInputElement).checked);
    t.ok(await lsf.isChecked(), 'Back: LSF is ticked, as in the list shown');
    t.notOk(await wheelchair.isChecked(), 'Back: the later filter is not');

    // One more box: the earlier filter is kept.
    await companion.check();
    await page.waitForURL(/access=companion/);
    t.match(page.url(), /\?access=lsf&access=companion$/, 'ticking one more keeps LSF');
    t.match(await page.locator('#resultats-titre').innerText(), /correspond/, 'the list is filtered');

    // Back twice, to the unfiltered programme: nothing ticked.
    await page.goBack();
    await page.waitForURL(/\?access=lsf$/);
    await page.goBack();
    await page.waitForURL(/\/programme$/);
    await page.waitForFunction(() => !(document.querySelector('input[value="lsf"]') as HTMLInputElement).checked);
    t.notOk(await companion.isChecked(), 'nothing ticked on the unfiltered programme');
    csp.assertNone(t, 'programme history');
  });
}
