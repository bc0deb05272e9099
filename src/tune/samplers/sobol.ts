/**
 * Sobol points, optionally scrambled. Point i (Gray-code order, as scipy.stats.qmc.Sobol
 * produces them) in dimension j is
 *   x_i = ⊕_{k : bit k of g(i)} V_{j,k} / 2^32,   g(i) = i ⊕ ⌊i/2⌋,
 * with 32-bit direction numbers V from Joe and Kuo's initial values (sobol_directions.ts) and
 * the recurrence V_k = V_{k−s} ⊕ (V_{k−s} ≫ s) ⊕ ⊕_{i<s} a_i·V_{k−i} (Bratley and Fox,
 * ACM TOMS 14, 1988). Points are computed directly from i, so a study can fetch point 57 without
 * generating 0..56.
 * Scrambling is a random linear matrix scramble plus a digital shift, as scipy's: per dimension
 * a random lower-triangular binary matrix L with unit diagonal multiplies every direction number
 * (digit r of the result mixes digits 1..r of the input, which keeps the net's equidistribution),
 * and the point is XORed with a random 32-bit shift (J. Matoušek, "On the L2-discrepancy for
 * anchored boxes", J. Complexity 14, 1998; A. B. Owen, "Variance with alternative scramblings of
 * digital nets", ACM TOMACS 13, 2003).
 */
import { Generator } from '../../random.js';
import { JOE_KUO } from './sobol_directions.js';
import { checkInteger, describeValue } from '../../validate/index.js';

/** The most dimensions Sobol supports (Joe and Kuo's direction numbers, plus the first). */
export const SOBOL_MAX_DIMENSION = JOE_KUO.length + 1;
const BITS = 32;

/** Sobol points in [0, 1)^d, optionally scrambled, computed directly from the point index (as scipy.stats.qmc.Sobol). */
export class Sobol {
  private readonly v: Uint32Array[];
  private readonly shift: Uint32Array;

  /** `seed` drives the scramble; null gives the plain sequence. */
  constructor(readonly dimension: number, seed: number | null) {
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > SOBOL_MAX_DIMENSION) {
      throw new RangeError(`Sobol: dimension must be an integer in [1, ${SOBOL_MAX_DIMENSION}], got ${describeValue(dimension)}`);
    }
    if (seed !== null) checkInteger('Sobol', 'seed', seed, { min: 0 });
    this.v = Array.from({ length: dimension }, (_, j) => directionNumbers(j));
    this.shift = new Uint32Array(dimension);
    if (seed !== null) {
      const rng = new Generator(seed);
      const bits32 = () => rng.nextInt(2 ** 32) >>> 0;
      for (let j = 0; j < dimension; j++) {
        const rows = new Uint32Array(BITS);
        for (let r = 0; r < BITS; r++) rows[r] = ((1 << (BITS - 1 - r)) | (r === 0 ? 0 : bits32() & (0xffffffff << (BITS - r)))) >>> 0;
        this.v[j] = this.v[j].map((x) => multiply(rows, x));
        this.shift[j] = bits32();
      }
    }
  }

  /** Point `index` in [0, 1)^dimension. */
  point(index: number): number[] {
    checkInteger('Sobol.point', 'index', index, { min: 0 });
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** BITS) throw new RangeError(`Sobol: index must be an integer in [0, 2^32), got ${index}`);
    const out = new Array<number>(this.dimension);
    for (let j = 0; j < this.dimension; j++) {
      let x = this.shift[j];
      let g = ((index >>> 0) ^ (index >>> 1)) >>> 0;
      for (let k = 0; g !== 0; k++, g >>>= 1) if (g & 1) x ^= this.v[j][k];
      out[j] = (x >>> 0) / 2 ** BITS;
    }
    return out;
  }
}

/** The 32 direction numbers of dimension j (0-based), V_k = m_k·2^(32−k). */
function directionNumbers(j: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (j === 0) {
    for (let k = 0; k < BITS; k++) v[k] = (1 << (BITS - 1 - k)) >>> 0;
    return v;
  }
  const [s, a, m] = JOE_KUO[j - 1];
  for (let k = 0; k < s; k++) v[k] = (m[k] << (BITS - 1 - k)) >>> 0;
  for (let k = s; k < BITS; k++) {
    let x = v[k - s] ^ (v[k - s] >>> s);
    for (let i = 1; i < s; i++) if ((a >>> (s - 1 - i)) & 1) x ^= v[k - i];
    v[k] = x >>> 0;
  }
  return v;
}

/** L·x over GF(2): digit r (from the top) of the result is the parity of rows[r] & x. */
function multiply(rows: Uint32Array, x: number): number {
  let out = 0;
  for (let r = 0; r < BITS; r++) if (parity(rows[r] & x)) out |= 1 << (BITS - 1 - r);
  return out >>> 0;
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}
