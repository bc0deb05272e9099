/**
 * Types of the native functions added by the nn area (native/napi/{loss,dropout,batchnorm,
 * linear}_napi.cc). Each validates its arguments natively and throws an Error naming the op.
 */
import { native, type NativeAddon, type NativeBuffer } from '../backend/native.js';

type Buf = NativeBuffer;
type OptBuf = NativeBuffer | null;
type Off = number;

export interface NnAddon {
  reductions: Record<string, number>;
  pointwiseLosses: Record<string, number>;
  classLoss(z: Buf, zOff: Off, labels: Buf, labOff: Off, weight: OptBuf, wOff: Off, N: number, C: number,
    ignoreIndex: number, smoothing: number, logProbInput: boolean, reduction: number, out: Buf, outOff: Off,
    grad: OptBuf, gOff: Off): void;
  pointwiseLoss(op: number, x: Buf, xOff: Off, t: Buf, tOff: Off, posWeight: OptBuf, pwOff: Off, n: number,
    cols: number, param: number, reduction: number, out: Buf, outOff: Off, grad: OptBuf, gOff: Off): void;
  softmax(x: Buf, xOff: Off, y: Buf, yOff: Off, rows: number, cols: number, log: boolean): void;
  softmaxBackward(y: Buf, yOff: Off, g: Buf, gOff: Off, dx: Buf, dxOff: Off, rows: number, cols: number,
    log: boolean): void;
  dropout(x: Buf, xOff: Off, out: Buf, outOff: Off, n: number, p: number, seed: number, streamOffset: number): void;
  batchNormForward(x: Buf, xOff: Off, N: number, C: number, L: number, gamma: OptBuf, gOff: Off, beta: OptBuf,
    bOff: Off, runMean: OptBuf, rmOff: Off, runVar: OptBuf, rvOff: Off, training: boolean, momentum: number,
    eps: number, y: Buf, yOff: Off, saveMean: Buf, smOff: Off, saveInvstd: Buf, siOff: Off): void;
  batchNormBackward(x: Buf, xOff: Off, g: Buf, gOff: Off, N: number, C: number, L: number, gamma: OptBuf,
    gmOff: Off, saveMean: Buf, smOff: Off, saveInvstd: Buf, siOff: Off, training: boolean, dx: OptBuf,
    dxOff: Off, dgamma: OptBuf, dgOff: Off, dbeta: OptBuf, dbOff: Off): void;
  linearBackward(g: Buf, gOff: Off, y: OptBuf, yOff: Off, relu: boolean, x: Buf, xOff: Off, W: Buf, wOff: Off,
    M: number, N: number, K: number, dx: OptBuf, dxOff: Off, dW: OptBuf, dwOff: Off, dwBeta: number,
    db: OptBuf, dbOff: Off, dbBeta: number): void;
}

/** The addon, typed with the nn functions. */
export const nnNative = native as NativeAddon & NnAddon;
