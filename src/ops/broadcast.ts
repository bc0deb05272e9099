/**
 * The fast paths of broadcasting: both operands laid over a [rows, cols] output, for the cases
 * a training step meets most: equal shapes; a one-element operand; an operand equal to the
 * other's trailing dimensions (a bias row); an operand of shape [...leading, 1] against
 * [...leading, cols] (a per-row column). Every other broadcast (NumPy's general rule) goes
 * through the strided kernel (strided.ts); fastBroadcast returns null for those.
 */
import { shapeSize, type Shape } from '../tensor.js';

export type Layout = 'full' | 'row' | 'column' | 'scalar';

export interface BroadcastPlan {
  shape: Shape;
  rows: number;
  cols: number;
  a: Layout;
  b: Layout;
}

const sameShape = (x: Shape, y: Shape) => x.length === y.length && x.every((d, i) => d === y[i]);

function isSuffix(small: Shape, big: Shape): boolean {
  if (small.length > big.length) return false;
  const off = big.length - small.length;
  return small.every((d, i) => d === big[off + i]);
}

function isColumnOf(small: Shape, big: Shape): boolean {
  return (
    small.length === big.length &&
    big.length >= 1 &&
    small[small.length - 1] === 1 &&
    small.slice(0, -1).every((d, i) => d === big[i])
  );
}

/** How `b` (or `a`) broadcasts against the other in one of the four layouts, or null. */
export function fastBroadcast(a: Shape, b: Shape): BroadcastPlan | null {
  const na = shapeSize(a);
  const nb = shapeSize(b);
  if (sameShape(a, b)) return { shape: a, rows: 1, cols: na, a: 'full', b: 'full' };
  if (nb === 1 && b.length <= a.length) return { shape: a, rows: 1, cols: na, a: 'full', b: 'scalar' };
  if (na === 1 && a.length <= b.length) return { shape: b, rows: 1, cols: nb, a: 'scalar', b: 'full' };
  if (isSuffix(b, a) && nb > 0) return { shape: a, rows: na / nb, cols: nb, a: 'full', b: 'row' };
  if (isSuffix(a, b) && na > 0) return { shape: b, rows: nb / na, cols: na, a: 'row', b: 'full' };
  if (isColumnOf(b, a)) {
    const cols = a[a.length - 1];
    return { shape: a, rows: na / (cols || 1), cols, a: 'full', b: 'column' };
  }
  if (isColumnOf(a, b)) {
    const cols = b[b.length - 1];
    return { shape: b, rows: nb / (cols || 1), cols, a: 'column', b: 'full' };
  }
  return null;
}
