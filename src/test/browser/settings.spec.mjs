// Real-browser check of the dashboard's "Upgrade, config and secrets" panel (issue 19): Debian's Chromium,
// headless, driven by playwright-core.
//
//   node settings.spec.mjs <baseUrl> <token> <screenshotDir> <v2-bundle.tgz> <pluginId> <secretValue>
//
// <pluginId> is installed (1.0.0) and ACTIVE before this runs; <v2-bundle.tgz> is its 2.0.0. Each step prints
// "PASS <name>" or "FAIL <name>: <why>" and leaves a screenshot <screenshotDir>/s<nn>-<name>.png.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [baseUrl, token, shots, bundle, pluginId, secretValue] = process.argv.slice(2);
if (!secretValue) {
    console.error('usage: node settings.spec.mjs <baseUrl> <token> <screenshotDir> <v2.tgz> <pluginId> <secretValue>');
    process.exit(2);
}
const WAIT = { timeout: 20_000 };
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'], // as dashboard.spec.mjs: root, loopback only
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
page.on('dialog', (dialog) => dialog.accept());
page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
const t = (id) => page.getByTestId(id);

let step = 0;
const failed = [];

async function run(name, body) {
    step += 1;
    try {
        await body();
        console.log(`PASS ${name}`);
    } catch (e) {
        failed.push(name);
        console.log(`FAIL ${name}: ${String(e.message).split('\n')[0]}`);
    }
    await page.screenshot({ path: join(shots, `s${String(step).padStart(2, '0')}-${name}.png`), fullPage: true })
        .catch(() => {});
}

function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

async function status(text) {
    await t('settings-status').getByText(text).waitFor(WAIT);
}

try {
    await run('login', async () => {
        await page.goto(baseUrl);
        await t('token-input').fill(token);
        await t('login-button').click();
        await t(`plugin-row-${pluginId}`).waitFor(WAIT);
        await t('settings-plugin').selectOption(pluginId);
    });
    await run('upgrade-from-file', async () => {
        await t('upgrade-file').setInputFiles(bundle);
        await t('upgrade-button').click();
        await status(`upgraded ${pluginId} to 2.0.0 (ACTIVE)`);
    });
    await run('save-config', async () => {
        await t('config-values').fill('{"level": 7}');
        await t('config-save').click();
        await status(`config of ${pluginId} stored (live)`);
        check((await t('config-effective').textContent()).includes('"level": 7'), 'effective config not shown');
    });
    await run('config-error-shown', async () => {
        await t('config-values').fill('[1]');
        await t('config-save').click();
        await t('settings-status').getByText('/config: operator config must be a JSON object').waitFor(WAIT);
    });
    await run('set-secret-never-shown', async () => {
        await t('secret-name').fill('token');
        await t('secret-value').fill(secretValue);
        await t('secret-save').click();
        await status(`secret token of ${pluginId} stored`);
        await t('secret-token').waitFor(WAIT);
        check(await t('secret-value').inputValue() === '', 'the value stayed in the field');
        const html = await page.content();
        check(!html.includes(secretValue), 'the secret value is in the page');
    });
    await run('rollback', async () => {
        await t('rollback-button').click();
        await status(`rolled back ${pluginId} to 1.0.0 (ACTIVE)`);
    });
    await run('delete-secret', async () => {
        await t('secret-delete-token').click();
        await status('secret token deleted');
        await t('secret-token').waitFor({ state: 'detached', timeout: WAIT.timeout });
    });
} finally {
    await browser.close();
}
console.log(failed.length === 0 ? `ALL ${step} STEPS PASSED` : `FAILED STEPS: ${failed.join(', ')}`);
process.exit(failed.length === 0 ? 0 : 1);
