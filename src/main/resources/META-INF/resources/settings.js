// Upgrade, rollback, operator config and secrets of one plugin. Secret values are only ever read from
// the password field and sent; nothing shows them (the host never returns one).
import { isAbort } from './api.js';
import { byId, el, say } from './dom.js';

let currentApi = () => null;
let refresh = async () => {};
let shownFor = null;

/** Wires the forms; `getApi()` is the logged-in Api or null, `onChange()` refreshes the plugin list. */
export function initSettings(getApi, onChange) {
    currentApi = getApi;
    refresh = onChange;
    byId('settings-plugin').addEventListener('change', () => load());
    byId('upgrade-form').addEventListener('submit', (event) => {
        event.preventDefault();
        const file = byId('upgrade-file').files[0];
        if (!file) {
            say(status(), 'choose a .tar.gz bundle first', 'error');
            return;
        }
        run(`upgrading ${plugin()}…`, async (api, id) => {
            const p = await api.upgrade(id, file);
            event.target.reset();
            return `upgraded ${p.id} to ${p.version} (${p.state})`;
        });
    });
    byId('rollback-button').addEventListener('click', () => {
        const id = plugin();
        if (id && window.confirm(`Roll ${id} back to the version before its last upgrade?`)) {
            run(`rolling back ${id}…`, async (api) => {
                const p = await api.post(`/plugins/${encodeURIComponent(id)}/rollback`);
                return `rolled back ${p.id} to ${p.version} (${p.state})`;
            });
        }
    });
    byId('config-form').addEventListener('submit', (event) => {
        event.preventDefault();
        let values;
        try {
            values = JSON.parse(byId('config-values').value || '{}');
        } catch (e) {
            say(status(), `config is not valid JSON: ${e.message}`, 'error');
            return;
        }
        run('saving config…', async (api, id) => {
            const view = await api.put(`/plugins/${encodeURIComponent(id)}/config`, values);
            byId('config-effective').textContent = JSON.stringify(view.effective, null, 2);
            return `config of ${id} stored (${view.delivered})`;
        });
    });
    byId('secret-form').addEventListener('submit', (event) => {
        event.preventDefault();
        const name = byId('secret-name').value.trim();
        const field = byId('secret-value');
        const value = field.value;
        field.value = ''; // gone from the page at once, whatever the answer
        run(`setting secret ${name}…`, async (api, id) => {
            await api.put(`/plugins/${encodeURIComponent(id)}/secrets/${encodeURIComponent(name)}`, { value });
            byId('secret-name').value = '';
            return `secret ${name} of ${id} stored (the plugin gets it at its next activation)`;
        });
    });
}

/** Keeps the plugin choice in step with the installed plugins. */
export function renderSettingsTargets(plugins) {
    const select = byId('settings-plugin');
    const chosen = select.value;
    const ids = plugins.map((p) => p.id);
    if ([...select.options].map((o) => o.value).join() !== ids.join()) {
        select.replaceChildren(...ids.map((id) => el('option', { value: id }, id)));
        if (ids.includes(chosen)) {
            select.value = chosen;
        }
    }
    if (select.value && select.value !== shownFor) {
        load();
    }
}

export function clearSettings() {
    shownFor = null;
    byId('settings-plugin').replaceChildren();
    byId('config-values').value = '{}';
    byId('config-effective').textContent = '';
    byId('secret-names').replaceChildren();
    byId('secret-value').value = '';
    say(status(), '');
}

function plugin() {
    return byId('settings-plugin').value;
}

function status() {
    return byId('settings-status');
}

async function load() {
    const api = currentApi();
    const id = plugin();
    if (!api || !id) {
        return;
    }
    shownFor = id;
    try {
        const [view, names] = await Promise.all([
            api.get(`/plugins/${encodeURIComponent(id)}/config`),
            api.get(`/plugins/${encodeURIComponent(id)}/secrets`),
        ]);
        if (plugin() !== id) {
            return;
        }
        byId('config-values').value = JSON.stringify(view.operator ?? {}, null, 2);
        byId('config-effective').textContent = JSON.stringify(view.effective ?? {}, null, 2);
        byId('secret-names').replaceChildren(...names.map((n) => el('li', { testid: `secret-${n.name}` },
            el('code', {}, n.name), ' ',
            el('button', {
                type: 'button', testid: `secret-delete-${n.name}`, 'aria-label': `Delete secret ${n.name}`,
                onclick: () => {
                    if (window.confirm(`Delete secret ${n.name} of ${id}?`)) {
                        run(`deleting secret ${n.name}…`, async (a) => {
                            await a.delete(`/plugins/${encodeURIComponent(id)}/secrets/${encodeURIComponent(n.name)}`);
                            return `secret ${n.name} deleted`;
                        });
                    }
                },
            }, 'Delete'))));
    } catch (e) {
        if (!isAbort(e)) {
            say(status(), e.describe ? e.describe() : e.message, e.status === 404 ? 'not-available' : 'error');
        }
    }
}

async function run(what, call) {
    const api = currentApi();
    const id = plugin();
    if (!api || !id) {
        say(status(), 'no plugin chosen', 'error');
        return;
    }
    say(status(), what);
    try {
        say(status(), await call(api, id));
    } catch (e) {
        if (!isAbort(e)) {
            say(status(), e.describe ? e.describe() : e.message, 'error');
        }
    } finally {
        await load();
        await refresh();
    }
}
