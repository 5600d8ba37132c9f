// Real-browser check of the dashboard: Debian's Chromium, headless, driven by playwright-core.
//
//   node dashboard.spec.mjs <baseUrl> <token> <screenshotDir> <bundle.tgz> <pluginId> <maxMemoryMB>
//
// Installs <bundle.tgz> (whose manifest id is <pluginId>, memory limit <maxMemoryMB>, with the test
// fixtures' `echo` and `alloc {mb}` actions) through the page's file upload, then walks
// through what an operator does. Each step prints "PASS <name>" or "FAIL <name>: <why>" and leaves a
// screenshot <screenshotDir>/<nn>-<name>.png; a failed step does not stop the independent ones after
// it. Exit code 0 only when every step passed. CHROMIUM overrides the browser (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [baseUrl, token, shots, bundle, pluginId, maxMemoryMB] = process.argv.slice(2);
if (!maxMemoryMB) {
    console.error('usage: node dashboard.spec.mjs <baseUrl> <token> <screenshotDir> <bundle.tgz> <pluginId> <maxMemoryMB>');
    process.exit(2);
}
const WAIT = { timeout: 20_000 };
const USAGE_WAIT_MS = 30_000;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Chromium refuses to run as root with its sandbox; the test runs as root in a throw-away container
    // and only loads our own page from loopback, so the browser's sandbox protects nothing here.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
page.on('dialog', (dialog) => dialog.accept());
page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
        console.log(`page error: ${m.text()}`); // the page broke its own CSP
    }
});
const t = (id) => page.getByTestId(id);

let step = 0;
const failed = [];
const passed = new Set();

async function run(name, body, { needs = [] } = {}) {
    step += 1;
    const shot = join(shots, `${String(step).padStart(2, '0')}-${name}.png`);
    const missing = needs.filter((n) => !passed.has(n));
    if (missing.length > 0) {
        failed.push(name);
        console.log(`FAIL ${name}: not run, needs ${missing.join(', ')}`);
        return;
    }
    try {
        await body();
        passed.add(name);
        console.log(`PASS ${name}`);
    } catch (e) {
        failed.push(name);
        console.log(`FAIL ${name}: ${String(e.message).split('\n')[0]}`);
    }
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
}

function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

/** Waits until read() returns a truthy value, or throws with the last value read. */
async function until(read, describe, ms = WAIT.timeout) {
    const deadline = Date.now() + ms;
    let last;
    while (Date.now() < deadline) {
        last = await read();
        if (last) {
            return last;
        }
        await page.waitForTimeout(250);
    }
    throw new Error(await describe(last));
}

try {
    await run('login-rejects-wrong-token', async () => {
        await page.goto(baseUrl);
        await t('token-input').fill('not-the-token');
        await t('login-button').click();
        await t('login-error').getByText('invalid bearer token').waitFor(WAIT);
        check(await page.locator('#app').isHidden(), 'the app is shown after a wrong token');
    });

    await run('login', async () => {
        await t('token-input').fill(token);
        await t('login-button').click();
        await t('plugins-table').waitFor(WAIT);
        const stored = await page.evaluate(() => sessionStorage.getItem('logomesh.apiToken'));
        check(stored === token, 'the token is not in sessionStorage');
        const persisted = await page.evaluate(() => Object.values(localStorage).length);
        check(persisted === 0, 'something was written to localStorage');
    });

    await run('example-plugins-listed', async () => {
        for (const id of ['hello-node', 'hello-python']) {
            await t(`plugin-row-${id}`).waitFor(WAIT);
        }
        const version = await t('plugin-row-hello-node').locator('td').first().textContent();
        check(version === '1.0.0', `hello-node version shows "${version}"`);
    }, { needs: ['login'] });

    await run('install-from-file', async () => {
        await t('install-file').setInputFiles(bundle);
        await t('install-button').click();
        await t('install-status').getByText(`installed ${pluginId}`).waitFor(WAIT);
        await t(`plugin-row-${pluginId}`).waitFor(WAIT);
        const state = await t(`state-${pluginId}`).textContent();
        check(state === 'INSTALLED', `state badge says ${state}`);
    }, { needs: ['login'] });

    await run('install-error-shown', async () => {
        await t('install-file').setInputFiles(bundle);
        await t('install-button').click();
        await t('install-status').getByText('installed already').waitFor(WAIT);
    }, { needs: ['install-from-file'] });

    await run('activate', async () => {
        await t(`activate-${pluginId}`).click();
        await page.locator(`[data-testid="plugin-row-${pluginId}"][data-state="ACTIVE"]`).waitFor(WAIT);
        check(await t(`deactivate-${pluginId}`).isEnabled(), 'deactivate is not enabled for an ACTIVE plugin');
        await t(`usage-card-${pluginId}`).waitFor(WAIT);
    }, { needs: ['install-from-file'] });

    await run('chart-receives-points', async () => {
        const chart = t(`chart-memory-${pluginId}`);
        await chart.waitFor({ state: 'attached', ...WAIT });
        const status = t(`usage-status-${pluginId}`);
        const points = async () => Number(await chart.getAttribute('data-points'));
        // the history may be empty for a just-started plugin; wait for a first point, then for more
        let said = '';
        const first = await until(async () => {
            said = await status.textContent();
            check(!said.includes('not available'), `usage ${said}`);
            return (await points()) || 0;
        }, () => `no usage point within ${USAGE_WAIT_MS / 1000}s (usage status: "${said}")`, USAGE_WAIT_MS);
        const more = await until(async () => ((await points()) > first ? await points() : 0),
            () => `the chart stayed at ${first} point(s) for ${USAGE_WAIT_MS / 1000}s`, USAGE_WAIT_MS);
        const cpu = Number(await t(`chart-cpu-${pluginId}`).getAttribute('data-points'));
        check(cpu === more, `the CPU chart has ${cpu} points, the memory chart ${more}`);
        console.log(`  chart: ${first} → ${more} points without reload`);
    }, { needs: ['activate'] });

    await run('run-action', async () => {
        await t('action-plugin').selectOption(pluginId);
        await t('action-type').fill('echo');
        await t('action-payload').fill('{"from": "dashboard", "n": 7}');
        await t('action-run').click();
        const result = await until(async () => {
            const text = await t('action-result').textContent();
            return text.includes('"success"') ? text : null;
        }, () => 'no action result shown');
        const parsed = JSON.parse(result);
        check(parsed.success === true && parsed.result.from === 'dashboard' && parsed.result.n === 7,
            `unexpected result ${result}`);
    }, { needs: ['activate'] });

    await run('action-errors-shown', async () => {
        await t('action-payload').fill('{not json');
        await t('action-run').click();
        await t('action-result').getByText('payload is not valid JSON').waitFor(WAIT);
        // an API error (the plugin is not running) is shown as the API's own message
        await t('action-plugin').selectOption('hello-python');
        await t('action-payload').fill('{}');
        await t('action-run').click();
        const text = await until(async () => {
            const s = await t('action-result').textContent();
            return s.startsWith('running') ? null : s;
        }, () => 'no error shown');
        check(/^[a-z_]+: .*hello-python/.test(text), `the error is not the API's message: ${text}`);
        check(!/exception|\bat [a-z]+\./i.test(text), `the error leaks internals: ${text}`);
    }, { needs: ['login'] });

    await run('audit-line-for-action', async () => {
        const row = page.locator(`[data-testid="audit-row"][data-plugin="${pluginId}"][data-type="action"]`);
        await until(async () => {
            const status = await t('audit-status').textContent();
            check(!status.includes('not available'), status);
            return (await row.count()) > 0;
        }, () => `no audit row of type "action" for ${pluginId}`);
        const outcome = await row.first().getAttribute('data-outcome');
        console.log(`  audit: action by ${pluginId}, outcome ${outcome}`);
    }, { needs: ['run-action'] });

    await run('alerts-panel', async () => {
        const status = await until(async () => (await t('alerts-status').textContent()) || null,
            () => 'the alerts panel says nothing');
        check(!status.includes('not available'), status);
    }, { needs: ['login'] });

    await run('alert-acknowledge', async () => {
        // allocate memory through the action form, a few MB at a time, until the working set passes the
        // monitor's warning threshold (90 % of the limit by default), then acknowledge the alert it raises
        const limit = Number(maxMemoryMB);
        const target = limit * 0.9 + 2;
        const chart = t(`chart-memory-${pluginId}`);
        const sampled = async () => [Number(await chart.getAttribute('data-points')), Number(await chart.getAttribute('data-last'))];
        await t('action-plugin').selectOption(pluginId);
        await t('action-type').fill('alloc');
        let [points, memory] = await sampled();
        for (let i = 0; i < 40 && memory < target; i++) {
            const mb = Math.max(2, Math.min(8, Math.floor((target - memory) / 2)));
            await t('action-payload').fill(JSON.stringify({ mb }));
            await t('action-run').click();
            await until(async () => (await t('action-result').textContent()).includes('heldMb'),
                async () => `alloc ${mb} MB gave: ${await t('action-result').textContent()}`);
            const before = points;
            [points, memory] = await until(async () => {
                const now = await sampled();
                return now[0] > before ? now : null;
            }, () => 'no new usage sample after alloc');
        }
        check(memory >= target, `memory stayed at ${memory} MB, below ${target} MB`);
        console.log(`  alert: working set ${memory.toFixed(1)} of ${limit} MB`);
        const ack = page.getByRole('button', { name: `Acknowledge memory alert of ${pluginId}` });
        await ack.first().waitFor(WAIT);
        const alerts = await ack.count();
        await page.screenshot({ path: join(shots, `${String(step).padStart(2, '0')}-alert-raised.png`), fullPage: true });
        await ack.first().click();
        await until(async () => (await ack.count()) < alerts, () => 'the acknowledged alert is still listed');
    }, { needs: ['chart-receives-points', 'alerts-panel'] });

    await run('deactivate', async () => {
        await t(`deactivate-${pluginId}`).click();
        await page.locator(`[data-testid="plugin-row-${pluginId}"][data-state="INACTIVE"]`).waitFor(WAIT);
        await t(`usage-card-${pluginId}`).waitFor({ state: 'detached', ...WAIT });
    }, { needs: ['activate'] });

    await run('uninstall', async () => {
        await t(`uninstall-${pluginId}`).click();
        await t(`plugin-row-${pluginId}`).waitFor({ state: 'detached', ...WAIT });
    }, { needs: ['install-from-file'] });

    await run('logout', async () => {
        await t('logout-button').click();
        await t('login-form').waitFor(WAIT);
        const stored = await page.evaluate(() => sessionStorage.getItem('logomesh.apiToken'));
        check(stored === null, 'the token is still in sessionStorage after logout');
        check(await page.locator('#app').isHidden(), 'the app is still shown after logout');
        await page.waitForTimeout(1000); // answers still in flight at logout must not fill the page again
        const left = await page.locator('#plugins-body tr, #audit-body tr, #alerts-list li, #usage-cards > *').count();
        check(left === 0, `${left} rows of the session are still in the page after logout`);
    }, { needs: ['login'] });
} finally {
    await browser.close();
}

console.log(failed.length === 0 ? `ALL ${step} STEPS PASSED` : `FAILED STEPS: ${failed.join(', ')}`);
process.exit(failed.length === 0 ? 0 : 1);
