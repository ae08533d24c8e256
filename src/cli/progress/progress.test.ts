import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BuildEvent } from '../../build/events.ts';
import { humanSize } from './human-size.ts';
import { jsonRenderer } from './json.ts';
import { plainRenderer } from './plain.ts';
import { ttyRenderer } from './tty.ts';

const events: BuildEvent[] = [
  { type: 'step-start', id: 1, stage: 'builder', label: 'builder 1/2', text: 'FROM golang' },
  { type: 'step-cached', id: 1 },
  { type: 'step-start', id: 2, stage: 'builder', label: 'builder 2/2', text: 'RUN go build' },
  { type: 'step-output', id: 2, stream: 'stdout', line: 'compiling' },
  { type: 'step-done', id: 2, ms: 1500 },
  {
    type: 'done',
    summary: {
      imageId: 'sha256:abc',
      manifestDigest: 'sha256:def',
      tags: ['app:1'],
      sizes: [
        { stage: 'final', bytes: 6_100_000, layers: 2 },
        { stage: 'builder', bytes: 480_000_000, layers: 3 },
      ],
      ms: 2000,
    },
  },
];

test('plain progress numbers the steps like BuildKit and ends with the size summary', () => {
  let out = '';
  const r = plainRenderer((s) => {
    out += s;
  });
  for (const e of events) r(e);
  assert.match(
    out,
    /^#1 \[builder 1\/2\] FROM golang\n#1 CACHED\n#2 \[builder 2\/2\] RUN go build\n#2 compiling\n#2 DONE 1\.5s\n/,
  );
  assert.match(
    out,
    /built sha256:abc in 2\.0s\ntagged app:1\nsize:\n {2}final +6\.10 MB {2}2 layers\n {2}builder +480 MB {2}3 layers\n$/,
  );
});

test('json progress writes one parseable object per event', () => {
  const lines: string[] = [];
  const r = jsonRenderer(
    (s) => lines.push(s),
    () => 0,
  );
  for (const e of events) r(e);
  assert.equal(lines.length, events.length);
  const parsed = lines.map((l) => JSON.parse(l) as { type: string; time: string });
  assert.deepEqual(
    parsed.map((p) => p.type),
    events.map((e) => e.type),
  );
  assert.equal(parsed[0]?.time, '1970-01-01T00:00:00.000Z');
});

test('the tty view marks cached and finished steps and shows output of running ones', () => {
  let out = '';
  let t = 1000;
  const view = ttyRenderer({ write: (s: string) => (out += s), columns: 80 }, () => t);
  view.onEvent(events[0]!);
  view.onEvent(events[1]!);
  view.onEvent(events[2]!);
  t += 100;
  view.onEvent(events[3]!);
  assert.match(out, /\[builder 1\/2\] FROM golang {2}CACHED/);
  assert.match(out, /│ compiling/);
  view.onEvent(events[4]!);
  view.stop();
  assert.match(out, /✔.*\[builder 2\/2\] RUN go build {2}1\.5s/);
});

test('sizes print in decimal units', () => {
  assert.equal(humanSize(999), '999 B');
  assert.equal(humanSize(6_100_000), '6.10 MB');
  assert.equal(humanSize(480_000_000), '480 MB');
  assert.equal(humanSize(12_340), '12.3 kB');
});
