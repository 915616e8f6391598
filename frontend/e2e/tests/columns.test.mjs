// Customising the table (spec section 4): hide a column, move columns by
// drag and drop and by keyboard, resize one by its header edge, pick a row
// height, sort; "save view" keeps it all on the server, so it comes back
// after a reload and in another browser; "reset" restores the default.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BOARD, apiAs, changeView, login, openBrowser, screenshot, settled, startServer } from '../harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

/// The visible headers, left to right, with their widths in pixels.
async function headers(page) {
  return page.$$eval('[data-testid=cases-table] thead th', (cells) =>
    cells.map((cell) => [cell.dataset.col, Math.round(cell.getBoundingClientRect().width)]),
  );
}
const order = (list) => list.map(([column]) => column);
const widthOf = (list, column) => list.find(([name]) => name === column)[1];

test('a customised view is saved on the server, survives a reload and another browser, and resets', async () => {
  const first = await openBrowser();
  const { page } = first;
  const api = await apiAs(server.base, BOARD);
  try {
    await login(page, server.base, BOARD);
    await settled(page);
    const defaults = await headers(page);
    assert.ok(order(defaults).includes('email'));

    // Hide the e-mail column.
    await page.click('[data-testid=columns]');
    await page.click('[data-testid=column-email-visible]');
    await page.keyboard.press('Escape');
    assert.ok(!order(await headers(page)).includes('email'), 'the hidden column is gone');

    // Drag the contact column onto the source column's place.
    const beforeDrag = order(await headers(page));
    await page.dragAndDrop('[data-testid=header-contact]', '[data-testid=header-source]');
    const afterDrag = order(await headers(page));
    assert.equal(afterDrag.indexOf('contact'), beforeDrag.indexOf('source'), 'contact takes source\'s place');
    assert.equal(afterDrag.indexOf('source'), beforeDrag.indexOf('source') + 1, 'source moves one to the right');

    // The keyboard alternative: Alt+→ on a focused header moves it right.
    const beforeKeys = order(await headers(page));
    await page.focus('[data-testid=sort-subject]');
    await page.keyboard.press('Alt+ArrowRight');
    const afterKeys = order(await headers(page));
    assert.equal(afterKeys.indexOf('subject'), beforeKeys.indexOf('subject') + 1, 'Alt+→ moves the column right');
    // The client gives the focus back on the next animation frame.
    await page
      .waitForFunction(() => document.activeElement.closest('th')?.dataset.col === 'subject', null, { timeout: 2000 })
      .catch(() => {});
    assert.equal(
      await page.evaluate(() => document.activeElement.closest('th')?.dataset.col),
      'subject',
      'the moved header keeps the focus',
    );

    // Resize the subject column by dragging its header's edge 80 px right.
    const widthBefore = widthOf(await headers(page), 'subject');
    const handle = await page.$('[data-testid=resize-subject]');
    const box = await handle.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    const widthAfter = widthOf(await headers(page), 'subject');
    assert.ok(Math.abs(widthAfter - widthBefore - 80) <= 2, `subject is 80 px wider (${widthBefore} → ${widthAfter})`);

    // Compact rows, sorted by subject.
    await page.click('[data-testid=row-height-compact]');
    assert.match(await page.getAttribute('[data-testid=cases-table]', 'class'), /rows-compact/);
    assert.equal((await changeView(page, () => page.click('[data-testid=sort-subject]'))).get('sort'), 'subject');

    const customised = await headers(page);
    await page.click('[data-testid=save-view]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=save-view] .dot'));
    const saved = (await api.get('/views/pipeline')).settings;
    assert.equal(saved.row_height, 'compact');
    assert.equal(saved.query, 'sort=subject');
    assert.deepEqual(
      saved.columns.filter((column) => column.visible).map((column) => column.column),
      order(customised),
      'the server keeps the visible columns in the order on screen',
    );
    assert.equal(saved.columns.find((column) => column.column === 'subject').width, widthAfter);
    assert.equal(saved.columns.find((column) => column.column === 'email').visible, false);
    await screenshot(page, '09-columns-customised');

    // A reload of the bare address brings the whole view back.
    await page.goto(server.base + '/');
    assert.equal((await settled(page)).get('sort'), 'subject', 'the saved sort comes back');
    assert.deepEqual(await headers(page), customised);
    assert.match(await page.getAttribute('[data-testid=cases-table]', 'class'), /rows-compact/);

    // Another browser, same user: the same view.
    const second = await openBrowser();
    try {
      await login(second.page, server.base, BOARD);
      assert.equal((await settled(second.page)).get('sort'), 'subject');
      assert.deepEqual(await headers(second.page), customised);
    } finally {
      await second.close();
    }

    // Reset: the default view, on screen and on the server.
    assert.equal((await changeView(page, () => page.click('[data-testid=reset-view]'))).get('sort'), null);
    await page.waitForFunction(() => !document.querySelector('[data-testid=cases-table]').className.includes('rows-compact'));
    assert.deepEqual(await headers(page), defaults);
    const reset = (await api.get('/views/pipeline')).settings;
    assert.equal(reset.query, '');
    assert.ok(reset.columns.length === 0 || reset.columns.find((column) => column.column === 'email').visible);
  } finally {
    await first.close();
  }
});
