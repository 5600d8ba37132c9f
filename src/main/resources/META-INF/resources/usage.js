// The live usage card of one ACTIVE plugin: history first, then the SSE stream, reconnecting
// while the plugin stays active. A host without the usage endpoints shows "not available".
import { UsageCharts, WINDOW_SECONDS } from './charts.js';

const RETRY_MS = 3000;

export class UsageFeed {
    constructor(api, container, pluginId) {
        this.api = api;
        this.pluginId = pluginId;
        this.abort = new AbortController();
        this.card = document.createElement('article');
        this.card.className = 'usage-card';
        this.card.dataset.testid = `usage-card-${pluginId}`;
        const title = document.createElement('h3');
        title.textContent = pluginId;
        this.status = document.createElement('p');
        this.status.className = 'status';
        this.status.dataset.testid = `usage-status-${pluginId}`;
        this.status.setAttribute('aria-live', 'polite');
        this.card.append(title, this.status);
        container.append(this.card);
        this.charts = new UsageCharts(this.card, pluginId);
        this.run();
    }

    get stopped() {
        return this.abort.signal.aborted;
    }

    async run() {
        try {
            this.say('loading history…');
            const history = await this.api.get(
                `/plugins/${encodeURIComponent(this.pluginId)}/usage/history?seconds=${WINDOW_SECONDS}`, this.abort.signal);
            this.charts.add(history?.samples ?? []);
        } catch (e) {
            if (this.stopped) {
                return;
            }
            if (e.notAvailable) {
                this.say('usage history not available on this host', 'not-available');
                return;
            }
            this.say(`history: ${e.message}`, 'error');
        }
        while (!this.stopped) {
            try {
                this.say('live');
                await this.api.stream(`/plugins/${encodeURIComponent(this.pluginId)}/usage/stream`, (name, data) => {
                    if (name === 'usage') {
                        this.charts.add([JSON.parse(data)]);
                    }
                }, this.abort.signal);
                if (!this.stopped) {
                    this.say('stream ended; reconnecting…');
                }
            } catch (e) {
                if (this.stopped) {
                    return;
                }
                if (e.notAvailable) {
                    this.say('live usage stream not available on this host', 'not-available');
                    return;
                }
                this.say(`stream: ${e.message}; reconnecting…`, 'error');
            }
            await sleep(RETRY_MS, this.abort.signal);
        }
    }

    say(text, kind = '') {
        this.status.textContent = text;
        this.status.className = `status ${kind}`.trim();
    }

    stop() {
        this.abort.abort();
        this.charts.destroy();
        this.card.remove();
    }
}

function sleep(ms, signal) {
    return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
        }, { once: true });
    });
}
