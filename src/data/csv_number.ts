/**
 * Fast parsing of an unquoted CSV record of decimal numbers, without splitting it into strings.
 * A field of at most 15 significant digits and a decimal exponent within +-22 is computed as
 * mantissa * 10^e or mantissa / 10^-e: both operands are exact doubles, so the one rounding
 * gives the correctly rounded value, the same double as Number(field). Any other field
 * (more digits, whitespace, 'Infinity', ...) goes through Number(field) itself, so the result
 * always equals Number's; a field Number rejects, or an empty one, becomes NaN.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

function slowField(text: string, start: number, end: number): number {
  const s = text.slice(start, end);
  return s.trim() === '' ? NaN : Number(s);
}

function field(text: string, start: number, end: number): number {
  let p = start;
  let c = text.charCodeAt(p);
  const negative = c === 45;
  if (c === 45 || c === 43) c = text.charCodeAt(++p);
  let mantissa = 0;
  let digits = 0;
  let exponent = 0;
  let any = false;
  while (c >= 48 && c <= 57) {
    any = true;
    if (mantissa !== 0 || c !== 48) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    }
    c = text.charCodeAt(++p);
  }
  if (c === 46) {
    c = text.charCodeAt(++p);
    while (c >= 48 && c <= 57) {
      any = true;
      if (mantissa !== 0 || c !== 48) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
      }
      exponent--;
      c = text.charCodeAt(++p);
    }
  }
  if (any && (c === 101 || c === 69)) {
    c = text.charCodeAt(++p);
    const expNegative = c === 45;
    if (c === 45 || c === 43) c = text.charCodeAt(++p);
    let e = 0;
    let expDigits = false;
    while (c >= 48 && c <= 57 && e < 1000) {
      e = e * 10 + (c - 48);
      expDigits = true;
      c = text.charCodeAt(++p);
    }
    if (!expDigits) return slowField(text, start, end);
    exponent += expNegative ? -e : e;
  }
  if (!any || p !== end || digits > 15) return slowField(text, start, end);
  let value: number;
  if (mantissa === 0) value = 0;
  else if (exponent >= 0 && exponent <= 22) value = mantissa * POW10[exponent];
  else if (exponent < 0 && exponent >= -22) value = mantissa / POW10[-exponent];
  else return slowField(text, start, end);
  return negative ? -value : value;
}

/**
 * Parses the fields of `text` (separated by the character `delimiter`) into `out` and returns
 * the number of fields (which may exceed out.length: the extra ones are counted, not stored).
 */
export function parseNumbers(text: string, delimiter: number, out: Float64Array): number {
  let count = 0;
  let start = 0;
  const delim = String.fromCharCode(delimiter);
  for (;;) {
    let end = text.indexOf(delim, start);
    if (end < 0) end = text.length;
    if (count < out.length) out[count] = field(text, start, end);
    count++;
    if (end === text.length) return count;
    start = end + 1;
  }
}
