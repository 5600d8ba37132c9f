// Unit tests of the dashboard's event-stream parser (no browser needed): node --test src/test/browser/unit
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// sse.js is a browser module without imports; load it as ESM whatever the surrounding package says
const source = readFileSync(new URL('../../../main/resources/META-INF/resources/sse.js', import.meta.url), 'utf8');
const { SseParser } = await import(`data:text/javascript,${encodeURIComponent(source)}`);

function parse(...chunks) {
    const events = [];
    const parser = new SseParser((name, data) => events.push([name, data]));
    chunks.forEach((c) => parser.push(c));
    return events;
}

test('a named event with one data line', () => {
    assert.deepEqual(parse('event: usage\ndata: {"cpuPercent":1.5}\n\n'), [['usage', '{"cpuPercent":1.5}']]);
});

test('events split anywhere across chunks, including inside CRLF', () => {
    const stream = 'event: usage\r\ndata: {"a":1}\r\n\r\nevent: usage\r\ndata: {"a":2}\r\n\r\n';
    for (let cut = 1; cut < stream.length; cut++) {
        assert.deepEqual(parse(stream.slice(0, cut), stream.slice(cut)),
            [['usage', '{"a":1}'], ['usage', '{"a":2}']], `cut at ${cut}`);
    }
});

test('bare CR line ends, and a CR at a chunk end whose LF comes in the next (or after an empty) chunk', () => {
    assert.deepEqual(parse('data: x\r\r'), [['message', 'x']]);
    assert.deepEqual(parse('data: x\r', '', '\ndata: y\r\n\r\n'), [['message', 'x\ny']]);
});

test('multi-line data is joined with newlines; unnamed events are "message"', () => {
    assert.deepEqual(parse('data: one\ndata: two\n\n'), [['message', 'one\ntwo']]);
});

test('comments, ids, retry and events without data are ignored', () => {
    assert.deepEqual(parse(': keep-alive\n\nid: 7\nretry: 100\n\nevent: usage\n\nevent: usage\ndata:{}\n\n'),
        [['usage', '{}']]);
});

test('an event is only delivered once its blank line arrives', () => {
    assert.deepEqual(parse('event: usage\ndata: {}\n'), []);
});

test('the event name does not leak into the next event', () => {
    assert.deepEqual(parse('event: usage\ndata: 1\n\ndata: 2\n\n'), [['usage', '1'], ['message', '2']]);
});
