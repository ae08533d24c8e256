import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGantryError } from '../../errors/gantry-error.ts';
import { checkMountSyntax, type Mount, parseMount } from './parse-mount.ts';

const base: Mount = {
  type: 'bind',
  from: '',
  source: '',
  target: '',
  readOnly: true,
  sizeLimit: 0,
  cacheId: '',
  cacheSharing: '',
  required: false,
};

describe('parseMount', () => {
  const ok: [string, Partial<Mount>][] = [
    ['target=/src', { target: '/src' }],
    ['type=bind,src=a,dst=/b,rw', { source: 'a', target: '/b', readOnly: false }],
    ['type=bind,target=/b,readwrite=false', { target: '/b', readOnly: true }],
    [
      'type=cache,target=/c,id=x,sharing=LOCKED,mode=0755,uid=1,gid=2',
      {
        type: 'cache',
        target: '/c',
        cacheId: 'x',
        cacheSharing: 'locked',
        readOnly: false,
        mode: 0o755,
        uid: 1,
        gid: 2,
      },
    ],
    [
      'type=tmpfs,target=/t,size=64m',
      { type: 'tmpfs', target: '/t', readOnly: false, sizeLimit: 64 * 1024 * 1024 },
    ],
    ['type=secret,id=tok,required', { type: 'secret', cacheId: 'tok', required: true }],
    ['type=secret,id=tok,env=TOKEN', { type: 'secret', cacheId: 'tok', env: 'TOKEN' }],
    ['type=ssh,required=true', { type: 'ssh', required: true }],
    ['type=bind,from=builder,source=/out,target=/in', { from: 'builder', source: '/out', target: '/in' }],
    ['TYPE=Cache,Target=/x', { type: 'cache', target: '/x', readOnly: false }],
  ];
  for (const [input, want] of ok) it(input, () => assert.deepEqual(parseMount(input), { ...base, ...want }));

  const bad: [string, string][] = [
    ['type=nfs', 'unsupported mount type "nfs"'],
    ['type=bnd', 'unsupported mount type "bnd" (did you mean bind?)'],
    ['type=cache,sharing=none', 'unsupported sharing value "none"'],
    ['target=/x,required', "unexpected key 'required' for mount type 'bind'"],
    ['target=/x,size=1m', "unexpected key 'size' for mount type 'bind'"],
    ['type=tmpfs,size=lots', 'invalid value for size: lots'],
    ['target=/x,ro=maybe', 'invalid value for ro: maybe'],
    ['target=/x,mode=0755', 'mode not allowed for "bind" type mounts'],
    ['type=cache,mode=9', 'invalid value 9 for mode'],
    ['target=/x,foo', "invalid field 'foo' must be a key=value pair"],
    ['target=/x,tagret=/y', "unexpected key 'tagret' in 'tagret=/y' (did you mean target?)"],
    ['type=secret', 'invalid secret mount. one of source, target required'],
    ['type=secret,id=a,source=b', "both source and id can't be set"],
    ['type=secret,id=a,from=x', 'secret mount should not have a from'],
    ['type=bind,target=/x,sharing=shared', 'invalid cache sharing set for bind mount'],
    ['', 'failed to parse csv mounts: EOF'],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseMount(input),
        (e) => isGantryError(e, 'E_DOCKERFILE_MOUNT') && e.message === message,
      );
    });
  }

  it('expands values, not keys or bare words', () => {
    const seen: string[] = [];
    const m = parseMount('type=cache,target=$DIR,ro', (w) => {
      seen.push(w);
      return w.replace('$DIR', '/cache');
    });
    assert.deepEqual(seen, ['cache', '$DIR']);
    assert.equal(m.target, '/cache');
    assert.equal(m.readOnly, true);
  });
});

describe('checkMountSyntax', () => {
  it('rejects a variable in from=', () => {
    assert.throws(
      () => checkMountSyntax('from=$STAGE'),
      /'from' doesn't support variable expansion, define alias stage instead/,
    );
  });
  it('allows a trailing $ and defers everything else', () => {
    checkMountSyntax('from=a$');
    checkMountSyntax('type=$T,size=$S');
  });
});
