/**
 * Incremental CSV record splitting (RFC 4180): fields separated by a delimiter, records by
 * LF or CRLF; a field in double quotes may hold delimiters, newlines and doubled quotes ("").
 * Text arrives in chunks of any size; each complete record is handed on with the line it starts
 * on, so errors can name it. Records without quotes take a fast path (indexOf + split).
 */

/** Splits one record's text into fields. */
export function splitRecord(text: string, delimiter: string, line: number): string[] {
  if (text.indexOf('"') < 0) return text.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i <= text.length) {
    if (!quoted && text[i] === '"' && field.trim() === '') {
      // Opening quote: read up to the closing quote, unescaping "".
      quoted = true;
      field = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error(`CSV line ${line}: unterminated quoted field`);
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      continue;
    }
    if (i === text.length || text.startsWith(delimiter, i)) {
      fields.push(field);
      field = '';
      quoted = false;
      i += i === text.length ? 1 : delimiter.length;
      continue;
    }
    if (quoted) {
      if (text[i].trim() !== '') throw new Error(`CSV line ${line}: unexpected '${text[i]}' after a closing quote`);
      i++;
      continue;
    }
    field += text[i++];
  }
  return fields;
}

/** Receives complete records. */
export type RecordHandler = (text: string, line: number) => void;

/** Cuts a stream of text into records (newlines inside quotes do not end a record). */
export class CsvRecordSplitter {
  private rest = '';
  private scanFrom = 0;
  private line = 1;

  constructor(private readonly onRecord: RecordHandler) {}

  push(chunk: string): void {
    this.rest += chunk;
    let start = 0;
    // The first quote at or after the current record's start: records before it need no
    // quote accounting, which keeps the common unquoted case to two indexOf calls a record.
    let quote = this.rest.indexOf('"', start);
    for (;;) {
      const nl = this.rest.indexOf('\n', this.scanFrom);
      if (nl < 0) break;
      if (quote >= 0 && quote < nl && !balanced(this.rest, quote, nl)) {
        this.scanFrom = nl + 1; // the newline is inside a quoted field
        continue;
      }
      this.emit(this.rest.slice(start, nl));
      start = nl + 1;
      this.scanFrom = start;
      if (quote >= 0 && quote < start) quote = this.rest.indexOf('"', start);
    }
    this.rest = this.rest.slice(start);
    this.scanFrom -= start;
  }

  /** Flushes a last record without a trailing newline. */
  end(): void {
    if (this.rest.length > 0) {
      if (!balanced(this.rest, 0, this.rest.length)) throw new Error(`CSV line ${this.line}: unterminated quoted field at end of input`);
      this.emit(this.rest);
    }
    this.rest = '';
    this.scanFrom = 0;
  }

  private emit(raw: string): void {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const line = this.line;
    let newlines = 1;
    for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) newlines++;
    this.line += newlines;
    if (text.trim() === '') return; // blank lines carry no record
    this.onRecord(text, line);
  }
}

/** Whether text[start, end) holds an even number of double quotes. */
function balanced(text: string, start: number, end: number): boolean {
  let count = 0;
  for (let q = text.indexOf('"', start); q >= 0 && q < end; q = text.indexOf('"', q + 1)) count++;
  return count % 2 === 0;
}
