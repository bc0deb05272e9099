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

/**
 * Cuts a stream of text into records (newlines inside quotes do not end a record).
 *
 * Linear in the input however long a record is: each chunk is scanned once, from where the
 * scan stopped, and the pieces of a record that spans chunks are kept in a list and joined
 * once when it ends. (Appending each chunk to the partial record and scanning that again from
 * its start made one 32 MiB line cost seconds to a minute: O(length^2 / chunk).)
 */
export class CsvRecordSplitter {
  /** The pieces of the record in progress that came in earlier chunks. */
  private parts: string[] = [];
  /** Whether the record in progress has an odd number of quotes so far (inside a field). */
  private quoted = false;
  private line = 1;

  constructor(private readonly onRecord: RecordHandler) {}

  push(chunk: string): void {
    let start = 0; // where the record in progress starts in this chunk
    let i = 0;
    let quote = chunk.indexOf('"');
    for (;;) {
      if (this.quoted) {
        // Inside a quoted field only the closing quote matters (a doubled "" closes and
        // reopens, which keeps the parity right).
        if (quote < 0) break;
        this.quoted = false;
        i = quote + 1;
        quote = chunk.indexOf('"', i);
        continue;
      }
      const nl = chunk.indexOf('\n', i);
      if (quote >= 0 && (nl < 0 || quote < nl)) {
        this.quoted = true;
        i = quote + 1;
        quote = chunk.indexOf('"', i);
        continue;
      }
      if (nl < 0) break;
      const piece = chunk.slice(start, nl);
      this.emit(this.parts.length === 0 ? piece : this.take() + piece);
      start = i = nl + 1;
    }
    if (start < chunk.length) this.parts.push(start === 0 ? chunk : chunk.slice(start));
  }

  /** Flushes a last record without a trailing newline. */
  end(): void {
    if (this.quoted) throw new Error(`CSV line ${this.line}: unterminated quoted field at end of input`);
    if (this.parts.length > 0) this.emit(this.take());
    this.quoted = false;
  }

  private take(): string {
    const text = this.parts.join('');
    this.parts = [];
    return text;
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
