// One plugin's live usage: a memory chart and a CPU chart (uPlot, vendored), fed by the history
// endpoint first and then by the SSE stream. Keeps the last WINDOW_SECONDS of samples.

export const WINDOW_SECONDS = 300;

const WIDTH = 420;
const HEIGHT = 160;

/** A uPlot line chart of one series over time; `element.dataset.points` counts the samples shown. */
class SeriesChart {
    constructor(parent, { title, label, unit, color, testid }) {
        this.element = document.createElement('figure');
        this.element.className = 'chart';
        this.element.dataset.testid = testid;
        this.element.dataset.points = '0';
        this.element.setAttribute('role', 'img');
        this.element.setAttribute('aria-label', title);
        const caption = document.createElement('figcaption');
        caption.textContent = title;
        this.element.append(caption);
        parent.append(this.element);
        this.unit = unit;
        this.data = [[], []];
        this.plot = new window.uPlot({
            width: WIDTH,
            height: HEIGHT,
            legend: { show: true },
            scales: { y: { range: (u, min, max) => [0, Math.max(max * 1.2, 1)] } },
            axes: [{}, { values: (u, ticks) => ticks.map((t) => `${+t.toFixed(1)}${unit}`), size: 60 }],
            series: [{}, { label, stroke: color, width: 2, fill: color + '22', value: (u, v) => v == null ? '–' : `${v.toFixed(1)}${unit}` }],
        }, this.data, this.element);
    }

    set(times, values) {
        this.data = [times, values];
        this.plot.setData(this.data);
        this.element.dataset.points = String(times.length);
        const last = values[values.length - 1];
        this.element.dataset.last = last == null ? '' : String(last);
        this.element.setAttribute('aria-label',
            `${this.element.querySelector('figcaption').textContent}: ${last == null ? 'no data' : last.toFixed(1) + this.unit}`);
    }

    destroy() {
        this.plot.destroy();
    }
}

/** The two charts of one plugin over a shared sample window. */
export class UsageCharts {
    constructor(parent, pluginId) {
        this.times = [];
        this.memory = [];
        this.cpu = [];
        this.lastTime = -Infinity;
        this.memoryChart = new SeriesChart(parent, {
            title: `Memory of ${pluginId} (MB)`, label: 'memory', unit: ' MB', color: '#2f6fde',
            testid: `chart-memory-${pluginId}`,
        });
        this.cpuChart = new SeriesChart(parent, {
            title: `CPU of ${pluginId} (% of one core)`, label: 'cpu', unit: ' %', color: '#d9572b',
            testid: `chart-cpu-${pluginId}`,
        });
    }

    /** Number of samples in the window. */
    get points() {
        return this.times.length;
    }

    /** Adds samples (history or stream, oldest first); ones not newer than the last are skipped. */
    add(samples) {
        let changed = false;
        for (const s of samples) {
            const t = Date.parse(s.timestamp) / 1000;
            if (!Number.isFinite(t) || t <= this.lastTime) {
                continue;
            }
            this.lastTime = t;
            this.times.push(t);
            this.memory.push(s.memoryMB ?? (s.memoryBytes != null ? s.memoryBytes / 1048576 : null));
            this.cpu.push(s.cpuPercent ?? null);
            changed = true;
        }
        if (!changed) {
            return;
        }
        const cutoff = this.lastTime - WINDOW_SECONDS;
        const drop = this.times.findIndex((t) => t >= cutoff);
        if (drop > 0) {
            this.times.splice(0, drop);
            this.memory.splice(0, drop);
            this.cpu.splice(0, drop);
        }
        this.memoryChart.set(this.times.slice(), this.memory.slice());
        this.cpuChart.set(this.times.slice(), this.cpu.slice());
    }

    /** Hides both charts (when the host has no usage data to give). */
    hide() {
        this.memoryChart.element.hidden = true;
        this.cpuChart.element.hidden = true;
    }

    destroy() {
        this.memoryChart.destroy();
        this.cpuChart.destroy();
    }
}
