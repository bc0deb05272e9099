import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { data } from '../../src/index.js';
import { parseNumbers } from '../../src/data/csv_number.js';
import { CsvRecordSplitter } from '../../src/data/csv_parser.js';
import { runDataChild } from './child.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('parseNumbers (fast field parser)', () => {
  it('gives exactly the double Number() gives, and NaN for empty or invalid fields', () => {
    const fields: string[] = ['0', '-0', '+1', '007', '.5', '5.', '1e5', '1E-5', '-2.5e+3', ' 1', '1 ', 'Infinity', '-Infinity',
      '0x10', '', '  ', 'abc', '1e', '-', '.', '1.2.3', '123456789012345678', '1e400', '4.9e-324', '9007199254740993'];
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 3000; i++) {
      const v = (rand() - 0.5) * 10 ** Math.floor(rand() * 30 - 15);
      fields.push(String(v), v.toFixed(4), v.toExponential(6), v.toPrecision(17), v.toPrecision(15));
    }
    const out = new Float64Array(fields.length);
    expect(parseNumbers(fields.join(','), 44, out)).toBe(fields.length);
    fields.forEach((f, i) => {
      const expected = f.trim() === '' ? NaN : Number(f);
      expect(Object.is(out[i], expected) || (Number.isNaN(out[i]) && Number.isNaN(expected)), `field ${JSON.stringify(f)}`).toBe(true);
    });
  });
});

/** The records of `text` by the rules, one character at a time: the splitter's reference. */
function referenceRecords(text: string): [string, number][] | 'unterminated' {
  const out: [string, number][] = [];
  let quoted = false;
  let start = 0;
  let line = 1;
  const emit = (raw: string) => {
    const record = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (record.trim() !== '') out.push([record, line]);
    line += raw.split('\n').length;
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n' && !quoted) {
      emit(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) return 'unterminated';
  if (start < text.length) emit(text.slice(start));
  return out;
}

function splitInChunks(text: string, cuts: number[]): [string, number][] | 'unterminated' {
  const out: [string, number][] = [];
  const splitter = new CsvRecordSplitter((record, line) => out.push([record, line]));
  let from = 0;
  for (const cut of [...cuts.map((c) => Math.floor(c * text.length)).sort((a, b) => a - b), text.length]) {
    splitter.push(text.slice(from, cut));
    from = cut;
  }
  try {
    splitter.end();
  } catch (err) {
    if (/unterminated quoted field/.test((err as Error).message)) return 'unterminated';
    throw err;
  }
  return out;
}

describe('CsvRecordSplitter', () => {
  it('cuts records as the character-by-character rules do, wherever the chunks break', () => {
    // Quotes, doubled quotes, newlines inside quotes and CRLF are what chunk borders can split.
    const alphabet = ['a', '1', ',', '"', '""', '\n', '\r\n', ' ', '\r'];
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 2000; t++) {
      const text = Array.from({ length: Math.floor(rand() * 40) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      const cuts = Array.from({ length: Math.floor(rand() * 6) }, rand);
      expect(splitInChunks(text, cuts), JSON.stringify({ text, cuts })).toEqual(referenceRecords(text));
    }
  });

  it('scans a record that spans many chunks a bounded number of times, not once per chunk', () => {
    // Counts the characters every String.prototype.indexOf call walks while a 4 MiB line
    // arrives in 64 KiB chunks. The splitter that appended each chunk to the partial line and
    // searched it again from the start walked 68x the input (and a 32 MiB line took seconds);
    // a linear one walks each character a few times (one search per character class).
    const line = '0.5,'.repeat(1 << 20);
    const text = `a,b\n${line}\n"x\ny",2\n`;
    const records: string[] = [];
    const splitter = new CsvRecordSplitter((r) => records.push(r));
    const indexOf = String.prototype.indexOf;
    let walked = 0;
    String.prototype.indexOf = function (this: string, search: string, from = 0) {
      const at = indexOf.call(this, search, from);
      walked += (at < 0 ? this.length : at + search.length) - Math.max(0, Math.min(from, this.length));
      return at;
    };
    try {
      for (let i = 0; i < text.length; i += 1 << 16) splitter.push(text.slice(i, i + (1 << 16)));
      splitter.end();
    } finally {
      String.prototype.indexOf = indexOf;
    }
    expect(records.map((r) => r.length)).toEqual([3, line.length, 7]);
    expect(records[1] === line).toBe(true);
    expect(walked / text.length).toBeLessThan(4);
  });
});

describe('loadCsv', () => {
  it('reads a header, numeric columns and a chosen label column', async () => {
    const p = file('a.csv', 'x1,label,x2\n1.5,0,2\n-3,1,4e2\n\n0.25,2,-1\n');
    const r = await data.loadCsv(p, { labelColumn: 'label' });
    expect(r.featureNames).toEqual(['x1', 'x2']);
    expect(r.labelName).toBe('label');
    expect(r.features.toList()).toEqual([[1.5, 2], [-3, 400], [0.25, -1]]);
    expect(Array.from(r.labels!.toArray())).toEqual([0, 1, 2]);
  });

  it('handles quoted fields (delimiters, doubled quotes, newlines), CRLF and no trailing newline', async () => {
    const p = file('b.csv', '"a, b","say ""hi""\nthere",y\r\n"1",2,1\r\n3,"4",0');
    const r = await data.loadCsv(p, { labelColumn: 2 });
    expect(r.featureNames).toEqual(['a, b', 'say "hi"\nthere']);
    expect(r.features.toList()).toEqual([[1, 2], [3, 4]]);
    expect(Array.from(r.labels!.toArray())).toEqual([1, 0]);
  });

  it('parses across small chunks exactly as in one piece', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},${i * 0.5},"${i % 3}"`);
    const p = file('c.csv', `a,b,c\n${rows.join('\n')}\n`);
    const r = await data.loadCsv(p, { labelColumn: 'c', chunkRows: 7 });
    const f = r.features.toFloat32Array();
    expect(r.features.shape).toEqual([5000, 2]);
    expect([f[2 * 4321], f[2 * 4321 + 1]]).toEqual([4321, 2160.5]);
    expect(r.labels!.toArray()[4999]).toBe(4999 % 3);
  });

  it('names the line of a ragged or non-numeric row', async () => {
    await expect(data.loadCsv(file('d.csv', 'a,b\n1,2\n3\n'))).rejects.toThrow(/d.csv line 3: 1 fields, expected 2/);
    await expect(data.loadCsv(file('e.csv', 'a,b\n1,2\n\n3,x\n'))).rejects.toThrow(/e.csv line 4, column 2 \('b'\): "x" is not a number/);
    await expect(data.loadCsv(file('f.csv', 'a,b\n1,\n'))).rejects.toThrow(/line 2, column 2 \('b'\): "" is not a number/);
    await expect(data.loadCsv(file('g.csv', 'a,y\n1,0.5\n'), { labelColumn: 'y' })).rejects.toThrow(/line 2, column 2: label "0.5" is not a 32-bit integer/);
    await expect(data.loadCsv(file('h.csv', 'a,b\n'))).rejects.toThrow(/has a header but no data rows/);
    await expect(data.loadCsv(file('i.csv', 'a,b\n1,2\n'), { labelColumn: 'z' })).rejects.toThrow(/label column 'z' is not in the header/);
    await expect(data.loadCsv(file('j.csv', 'a,b\n"1,2\n'))).rejects.toThrow(/unterminated quoted field/);
  });

  it('reads a 2-million-column row: the staging buffer is sized in bytes, not width x chunkRows', async () => {
    // Before: Float32Array(4096 x 2,000,000) threw "Invalid typed array length: 8589934592".
    const width = 2_000_000;
    const row = (r: number) => Array.from({ length: width }, (_, c) => (c * 7 + r) % 10).join(',');
    const p = file('wide.csv', `${row(0)}\n${row(1)}\n`);
    const r = await data.loadCsv(p, { header: false, labelColumn: width - 1 });
    expect(r.features.shape).toEqual([2, width - 1]);
    const f = r.features.toFloat32Array();
    for (const c of [0, 1, 12345, width - 2]) expect([f[c], f[width - 1 + c]]).toEqual([(c * 7) % 10, (c * 7 + 1) % 10]);
    expect(Array.from(r.labels!.toArray())).toEqual([((width - 1) * 7) % 10, ((width - 1) * 7 + 1) % 10]);
    expect(r.featureNames.length).toBe(width - 1);
    expect(r.featureNames[width - 2]).toBe(`column${width - 2}`);
    let values = 0;
    for await (const [x] of data.csvRows(p, { header: false, labelColumn: width - 1 })) values += x.length;
    expect(values).toBe(2 * (width - 1));
  }, 60_000);

  it('rejects options it cannot honour, naming them', async () => {
    const p = file('opts.csv', 'a,b\n"1",2\n');
    // An empty delimiter used to leave the quoted-record scan in place forever: in a child.
    const r = runDataChild(`
      try { await data.loadCsv(${JSON.stringify(p)}, { delimiter: '' }); console.log('loaded'); }
      catch (e) { console.log(e.message); }`);
    expect(r.signal, 'loadCsv hung').toBe(null);
    expect(r.stdout).toBe("loadCsv: option 'delimiter' must be a non-empty string, got string ''");
    await expect(data.loadCsv(p, { delimiter: '"' })).rejects.toThrow(/^loadCsv: delimiter must be a non-empty string/);
    await expect(data.loadCsv(p, { chunkRows: 0 })).rejects.toThrow(/^loadCsv: option 'chunkRows' must be an integer >= 1 and <= 2147483647, got 0$/);
    await expect(data.loadCsv(p, { numClasses: 1.5 })).rejects.toThrow(/^loadCsv: numClasses must be an integer in \[1, 2\^31\], got 1.5$/);
  });

  it('csvRows streams samples into a DataLoader', async () => {
    const p = file('k.csv', 'f,y\n' + Array.from({ length: 10 }, (_, i) => `${i},${i % 2}`).join('\n'));
    const loader = new data.DataLoader(data.csvRows(p, { labelColumn: 'y' }), { batchSize: 4 });
    const xs: number[] = [];
    const ys: number[] = [];
    for await (const [x, y] of loader) {
      xs.push(...x.toFloat32Array());
      ys.push(...y.toArray());
    }
    expect(xs).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(ys).toEqual(Array.from({ length: 10 }, (_, i) => i % 2));
  });

  it('loads a large file with peak memory bounded by the result plus a small buffer', () => {
    // A child process, so its peak RSS (VmHWM) belongs to this load alone.
    const script = join(process.cwd(), 'bench', 'data', 'csv_memory.ts');
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, '--mb', '40', '--json'], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { fileMB: number; resultMB: number; peakGrowthMB: number };
    expect(r.fileMB).toBeGreaterThan(35);
    // result + one 64 KiB read buffer + 4096-row staging + the JS heap's young generation; far below a copy of the file
    expect(r.peakGrowthMB).toBeLessThan(r.resultMB + 32);
  });
});

describe('loadCsv options', () => {
  // scikit-learn's own file (python3-sklearn 1.2.1, sklearn/datasets/data/breast_cancer.csv):
  // a first line of counts and class names, then 569 rows of 30 features and a 0/1 target.
  const cancer = new URL('../fixtures/breast_cancer.csv', import.meta.url).pathname;

  it("scikit-learn's breast-cancer CSV loads in one call, its first line skipped", async () => {
    const r = await data.loadCsv(cancer, { skipRows: 1, labelColumn: 30 });
    expect(r.features.shape).toEqual([569, 30]);
    expect(r.labels!.shape).toEqual([569]);
    const labels = Array.from(r.labels!.toArray());
    expect(labels.filter((v) => v === 0)).toHaveLength(212); // malignant, as sklearn's load_breast_cancer
    expect(r.features.toArray()[0]).toBe(Math.fround(17.99));
    expect(r.featureNames[0]).toBe('column0'); // header 'auto': the first record kept is numbers
    // Without skipRows the counts line is taken for the header and the label column is found.
    await expect(data.loadCsv(cancer, { labelColumn: 30 })).rejects.toThrow(/label column 30 is outside the 4 columns/);
  });

  it('reads gzip by its magic bytes, whatever the name', async () => {
    const text = readFileSync(cancer);
    const gz = join(dir, 'cancer.data');
    writeFileSync(gz, gzipSync(text));
    const plain = await data.loadCsv(cancer, { skipRows: 1, labelColumn: 30 });
    const zipped = await data.loadCsv(gz, { skipRows: 1, labelColumn: 30 });
    expect(Array.from(zipped.features.toArray())).toEqual(Array.from(plain.features.toArray()));
    expect(Array.from(zipped.labels!.toArray())).toEqual(Array.from(plain.labels!.toArray()));
    const rows: number[] = [];
    for await (const [, label] of data.csvRows(gz, { skipRows: 1, labelColumn: 30 })) rows.push(label as number);
    expect(rows).toEqual(Array.from(plain.labels!.toArray()));
  });

  it("header 'auto', true, false", async () => {
    const named = file('named.csv', 'a,b\n1,2\n3,4\n');
    const bare = file('bare.csv', '1,2\n3,4\n');
    expect((await data.loadCsv(named)).featureNames).toEqual(['a', 'b']);
    expect((await data.loadCsv(bare)).features.shape).toEqual([2, 2]);
    expect((await data.loadCsv(bare, { header: true })).features.shape).toEqual([1, 2]);
    await expect(data.loadCsv(named, { header: false })).rejects.toThrow(/line 1, column 1 \('column0'\): "a" is not a number/);
    await expect(data.loadCsv(bare, { header: 'yes' as never })).rejects.toThrow("loadCsv: option 'header' must be true, false or 'auto', got \"yes\"");
    await expect(data.loadCsv(bare, { skipRows: -1 })).rejects.toThrow("loadCsv: option 'skipRows' must be a non-negative integer, got -1");
  });

  it('an error quotes at most 40 characters of the cell and gives line and column', async () => {
    const junk = '\u001f\u008b' + 'x'.repeat(1000);
    const p = file('junk.csv', `a,b\n1,2\n3,${junk}\n`);
    const err = await data.loadCsv(p).catch((e: Error) => e);
    expect((err as Error).message).toBe(`${p} line 3, column 2 ('b'): ${JSON.stringify(junk.slice(0, 40) + '…')} is not a number`);
    expect((err as Error).message.length).toBeLessThan(p.length + 100);
  });

  it('comment lines, columns by name or index, one or several targets with targetDtype', async () => {
    const p = file('mix.csv', '# made by hand\nx1,x2,x3,y1,y2\n1,2,3,0.5,10\n  # a note\n4,5,6,1.5,20\n');
    const r = await data.loadCsv(p, { comment: '#', columns: ['x3', 0], target: ['y1', 'y2'], targetDtype: 'float32' });
    expect(r.featureNames).toEqual(['x3', 'x1']);
    expect(Array.from(r.features.toArray())).toEqual([3, 1, 6, 4]);
    expect(r.labels!.dtype).toBe('float32');
    expect(r.labels!.shape).toEqual([2, 2]);
    expect(Array.from(r.labels!.toArray())).toEqual([0.5, 10, 1.5, 20]);
    expect(r.targetNames).toEqual(['y1', 'y2']);
    const one = await data.loadCsv(p, { comment: '#', target: 'y2' });
    expect(one.labels!.dtype).toBe('int32');
    expect(one.labels!.shape).toEqual([2]);
    expect(one.featureNames).toEqual(['x1', 'x2', 'x3', 'y1']);
    await expect(data.loadCsv(p, { comment: '#', target: 'y1' })).rejects.toThrow(/line 3, column 4: label "0.5" is not a 32-bit integer \(give targetDtype: 'float32' for real values\)/);
    await expect(data.loadCsv(p, { comment: '#', columns: ['y1'], target: 'y1', targetDtype: 'float32' })).rejects.toThrow("loadCsv: column 'y1' is both a feature and a target");
    await expect(data.loadCsv(p, { comment: '#', target: 'nope' })).rejects.toThrow(/label column 'nope' is not in the header/);
  });

  it('string class labels map to sorted codes, the mapping returned (as LabelEncoder)', async () => {
    const p = file('iris.csv', 'a,b,species\n1,2,virginica\n3,4,setosa\n5,6,"versicolor"\n7,8,setosa\n');
    const r = await data.loadCsv(p, { target: 'species', chunkRows: 2 });
    expect(r.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(r.labels!.toArray())).toEqual([2, 0, 1, 0]);
    const streamed: number[] = [];
    for await (const [, label] of data.csvRows(p, { target: 'species' })) streamed.push(label as number);
    expect(streamed).toEqual([0, 1, 2, 1]); // first-appearance codes: a stream cannot sort first
    const mixed = file('mixed.csv', 'a,y\n1,0\n2,cat\n');
    await expect(data.loadCsv(mixed, { target: 'y' })).rejects.toThrow(/line 3, column 2: label "cat" is a string, but earlier labels were numbers/);
  });
});

