// The live usage card of one ACTIVE plugin: history first, then the SSE stream, reconnecting
// while the plugin stays active. A host without the usage endpoints shows "not available".
// A browser opens at most 6 HTTP/1.1 connections per host and each stream holds one, so only the
// first MAX_STREAMS cards stream; the others poll the history instead (see app.js).
import { UsageCharts, WINDOW_SECONDS } from './charts.js';

export const MAX_STREAMS = 3;
const RETRY_MS = 3000;
const POLL_MS = 5000;

export class UsageFeed {
    /** @param live true: SSE stream after the history; false: poll the history every POLL_MS */
    constructor(api, container, pluginId, live) {
        this.api = api;
        this.pluginId = pluginId;
        this.live = live;
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
        this.say('loading history…');
        if (!await this.loadHistory()) {
            return;
        }
        while (!this.live && !this.stopped) {
            this.say(`updated every ${POLL_MS / 1000} s (only ${MAX_STREAMS} plugins stream live)`);
            await sleep(POLL_MS, this.abort.signal);
            if (this.stopped || !await this.loadHistory()) {
                return;
            }
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
                    this.charts.hide();
                    return;
                }
                this.say(`stream: ${e.message}; reconnecting…`, 'error');
            }
            await sleep(RETRY_MS, this.abort.signal);
            if (!this.stopped) {
                await this.loadHistory(); // what was sampled while disconnected
            }
        }
    }

    /** Adds the history window to the charts; false when the host has no usage history at all. */
    async loadHistory() {
        try {
            const history = await this.api.get(
                `/plugins/${encodeURIComponent(this.pluginId)}/usage/history?seconds=${WINDOW_SECONDS}`, this.abort.signal);
            this.charts.add(history?.samples ?? []);
            return true;
        } catch (e) {
            if (this.stopped) {
                return false;
            }
            if (e.notAvailable) {
                this.say('usage history not available on this host', 'not-available');
                this.charts.hide();
                return false;
            }
            this.say(`history: ${e.message}`, 'error');
            return true;
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
