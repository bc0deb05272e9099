/**
 * Types of the native convolution and pooling functions (native/napi/conv_napi.cc). The window
 * geometry crosses as one integer array; each function validates its arguments natively and
 * throws an Error naming the op.
 */
import { native, type NativeBuffer } from '../backend/native.js';

type Buf = NativeBuffer;
type OptBuf = NativeBuffer | null;
type Off = number;

/** [N, C, H, W, OC, KH, KW, strideH, strideW, padH, padW, dilationH, dilationW, groups] */
export type ConvGeometry = number[];
/** [N, C, H, W, KH, KW, strideH, strideW, padH, padW, dilationH, dilationW] */
export type PoolGeometry = number[];

export interface ConvAddon {
  conv2dForward(x: Buf, xOff: Off, w: Buf, wOff: Off, bias: OptBuf, bOff: Off, y: Buf, yOff: Off, g: ConvGeometry): void;
  conv2dBackward(x: Buf, xOff: Off, w: Buf, wOff: Off, dy: Buf, dyOff: Off, dx: OptBuf, dxOff: Off, dW: OptBuf, dwOff: Off,
    db: OptBuf, dbOff: Off, g: ConvGeometry, accumulate: boolean): void;
  maxPool2dForward(x: Buf, xOff: Off, y: Buf, yOff: Off, indices: Buf, iOff: Off, g: PoolGeometry): void;
  maxPool2dBackward(dy: Buf, dyOff: Off, indices: Buf, iOff: Off, dx: Buf, dxOff: Off, g: PoolGeometry): void;
  avgPool2dForward(x: Buf, xOff: Off, y: Buf, yOff: Off, g: PoolGeometry, countIncludePad: boolean): void;
  avgPool2dBackward(dy: Buf, dyOff: Off, dx: Buf, dxOff: Off, g: PoolGeometry, countIncludePad: boolean): void;
  /** g: [N, C, H, W, OH, OW] */
  adaptiveAvgPool2dForward(x: Buf, xOff: Off, y: Buf, yOff: Off, g: number[]): void;
  adaptiveAvgPool2dBackward(dy: Buf, dyOff: Off, dx: Buf, dxOff: Off, g: number[]): void;
}

export const convNative = native as unknown as ConvAddon;
