import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerfileError } from '../../errors/index.ts';
import { chompHeredocContent, heredocsFromLine, parseHeredoc } from './heredoc.ts';

describe('parseHeredoc', () => {
  const table: { word: string; want: ReturnType<typeof parseHeredoc> }[] = [
    { word: '<<END', want: { name: 'END', fileDescriptor: 0, expand: true, chomp: false, content: '' } },
    { word: '9<<-END', want: { name: 'END', fileDescriptor: 9, expand: true, chomp: true, content: '' } },
    {
      word: "<<'E N D'",
      want: { name: 'E N D', fileDescriptor: 0, expand: false, chomp: false, content: '' },
    },
    { word: '<<E"N"D', want: { name: 'END', fileDescriptor: 0, expand: false, chomp: false, content: '' } },
    { word: '<<E\\ND', want: { name: 'END', fileDescriptor: 0, expand: true, chomp: false, content: '' } },
    { word: '<<\t END', want: { name: 'END', fileDescriptor: 0, expand: true, chomp: false, content: '' } },
    {
      word: `<<\${X:-y}`,
      want: { name: `\${X:-y}`, fileDescriptor: 0, expand: true, chomp: false, content: '' },
    },
    { word: '<<A B', want: undefined },
    { word: 'x<<END', want: undefined },
    { word: '<<END<', want: undefined },
    { word: '<<-', want: undefined },
  ];
  for (const t of table) {
    it(JSON.stringify(t.word), () => assert.deepEqual(parseHeredoc(t.word), t.want));
  }

  it('unbalanced quotes are an error', () => {
    for (const word of ['<<"END', "<<END'", '<<${X']) {
      assert.throws(
        () => parseHeredoc(word),
        (e: unknown) => e instanceof DockerfileError && e.code === 'E_PARSE_HEREDOC_WORD',
        word,
      );
    }
  });
});

describe('heredocsFromLine', () => {
  const table: [string, string[]][] = [
    ['RUN <<A cat && cat 3<<B', ['A', 'B']],
    ['COPY <<A <<-"B" /d', ['A', 'B']],
    ['RUN echo "<<A" \'<<B\'', []],
    ['RUN cat<<A', []],
    ['RUN <<- A', []],
    ['RUN << A', ['A']],
    ['RUN echo "unbalanced <<A', []],
  ];
  for (const [line, names] of table) {
    it(line, () =>
      assert.deepEqual(
        heredocsFromLine(line).map((h) => h.name),
        names,
      ),
    );
  }
});

it('chompHeredocContent strips leading tabs of every line only', () => {
  assert.equal(chompHeredocContent('\t\ta\tb\n\n\tc\r\n  \td'), 'a\tb\n\nc\r\n  \td');
  assert.equal(chompHeredocContent('no tabs\n'), 'no tabs\n');
});
