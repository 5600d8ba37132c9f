// A text/event-stream parser (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream):
// feed it decoded chunks; it calls onEvent(name, data) per complete event. Comments and ids are ignored.

export class SseParser {
    constructor(onEvent) {
        this.onEvent = onEvent;
        this.buffer = '';
        this.name = '';
        this.data = [];
        this.afterCr = false; // the last chunk ended with CR: a LF starting the next one is the same line end
    }

    push(chunk) {
        if (chunk === '') {
            return;
        }
        if (this.afterCr && chunk.startsWith('\n')) {
            chunk = chunk.slice(1);
        }
        this.afterCr = false;
        this.buffer += chunk;
        let end;
        while ((end = this.buffer.search(/[\r\n]/)) >= 0) {
            const line = this.buffer.slice(0, end);
            const crlf = this.buffer.startsWith('\r\n', end);
            this.afterCr = !crlf && this.buffer[end] === '\r' && end + 1 === this.buffer.length;
            this.buffer = this.buffer.slice(end + (crlf ? 2 : 1));
            this.line(line);
        }
    }

    line(line) {
        if (line === '') {
            if (this.data.length > 0) {
                this.onEvent(this.name || 'message', this.data.join('\n'));
            }
            this.name = '';
            this.data = [];
            return;
        }
        if (line.startsWith(':')) {
            return;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) {
            value = value.slice(1);
        }
        if (field === 'event') {
            this.name = value;
        } else if (field === 'data') {
            this.data.push(value);
        }
    }
}
