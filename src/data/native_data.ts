/** Typed access to the data kernels of native/napi/data_napi.cc. */
import { native, type NativeAddon, type NativeBuffer } from '../backend/native.js';

type Buf = NativeBuffer;
type Off = number;

/** The functions data_napi.cc registers. */
export interface DataAddon {
  knn(data: Buf, dataOff: Off, n: number, d: number, query: Buf, queryOff: Off, m: number, k: number,
    excludeSelf: boolean, outIndex: Buf, outIndexOff: Off, outDist: Buf | null, outDistOff: Off): void;
  smoteInterpolate(x: Buf, xOff: Off, n: number, d: number, neighbours: Buf, nOff: Off, k: number, count: number,
    seed: number, streamOffset: number, out: Buf, outOff: Off): void;
  randperm(out: Buf, outOff: Off, n: number, seed: number, streamOffset: number): void;
  randomIndex(out: Buf, outOff: Off, count: number, n: number, seed: number, streamOffset: number): void;
  weightedIndex(weights: Buf, wOff: Off, n: number, out: Buf, outOff: Off, count: number, seed: number,
    streamOffset: number): void;
  columnStats(x: Buf, xOff: Off, rows: number, cols: number, mean: Buf, mOff: Off, std: Buf, sOff: Off,
    min: Buf, minOff: Off, max: Buf, maxOff: Off): number;
  gatherBatch(x: Buf, xOff: Off, rowLength: number, rows: number, y: Buf | null, yOff: Off, index: Buf, indexOff: Off,
    count: number, scale: Buf | null, scaleOff: Off, shift: Buf | null, shiftOff: Off, xOut: Buf, xOutOff: Off,
    yOut: Buf | null, yOutOff: Off): void;
  oneHot(labels: Buf, lOff: Off, n: number, classes: number, out: Buf, outOff: Off): void;
}

/** The addon with the data kernels. */
export const dataAddon = native as NativeAddon & DataAddon;
