/**
 * Bad-input specs for the LSTM / GRU sequence bindings (native/napi/recurrent_napi.cc), spread
 * into `specs` by bad_input_cases.ts. The shape is an array (kind 'any' for the generator); its
 * bad values are hand-written cases.
 */
import { addon as native } from '../../src/backend/addon.js';
import type { Kind, Spec } from './bad_input_cases.js';
import { BF, BFN, F, fn, OFF, OP } from './bad_input_kinds.js';

const ANY: Kind = { k: 'any' };
const BOOL: Kind = { k: 'bool' };
// An LSTM layer: T 3, B 2, I 3, H 2, sequence first, forward, y rows 2 apart (gates*H = 8).
const SHAPE = [3, 2, 3, 2, 0, 0, 2];
const X = 18, WIH = 24, WHH = 16, GH = 8, BH = 4, Y = 12, WS = 72;
const LSTM = 0, GRU = 1;

const forward = () => [LSTM, F(X), 0, F(WIH), 0, F(WHH), 0, F(GH), 0, F(GH), 0, F(BH), 0, F(BH), 0, F(Y), 0, F(BH), 0, F(BH), 0, F(WS), 0, SHAPE];
const backward = () => [LSTM, F(X), 0, F(WIH), 0, F(WHH), 0, F(BH), 0, F(WS), 0, F(Y), 0, F(BH), 0, F(BH), 0, F(X), 0, F(WIH), 0,
  F(WHH), 0, F(GH), 0, F(GH), 0, F(BH), 0, F(BH), 0, SHAPE, false];

/** A valid call with argument `at` replaced by `v`. */
const edited = (name: string, valid: () => unknown[], at: number, v: unknown) => () => fn(name)(valid().map((a, i) => (i === at ? v : a)));
const shapeCases = (name: string, valid: () => unknown[], at: number) => ({
  'shape not an array': edited(name, valid, at, 3),
  'shape one short': edited(name, valid, at, SHAPE.slice(1)),
  'shape with a zero batch': edited(name, valid, at, SHAPE.map((v, i) => (i === 1 ? 0 : v))),
  'shape with a fraction': edited(name, valid, at, SHAPE.map((v, i) => (i === 2 ? 2.5 : v))),
  'shape with a string': edited(name, valid, at, SHAPE.map((v, i) => (i === 0 ? '3' : v))),
  'shape with batchFirst 2': edited(name, valid, at, SHAPE.map((v, i) => (i === 4 ? 2 : v))),
  'shape with yStride below H': edited(name, valid, at, SHAPE.map((v, i) => (i === 6 ? 1 : v))),
  'shape with 2^40 steps': edited(name, valid, at, SHAPE.map((v, i) => (i === 0 ? 2 ** 40 : v))),
});

export const recurrentSpecs: Record<string, Spec> = {
  recurrentForward: {
    names: ['recurrentForward'],
    kinds: [OP(native.recurrentCells), BF, OFF(1), BF, OFF(3), BF, OFF(5), BFN, OFF(7), BFN, OFF(9), BFN, OFF(11), BFN, OFF(13),
      BF, OFF(15), BF, OFF(17), BF, OFF(19), BF, OFF(21), ANY],
    valid: forward,
    call: fn('recurrentForward'),
    extra: {
      ...shapeCases('recurrentForward', forward, 23),
      'a GRU given a cell state': edited('recurrentForward', forward, 0, GRU),
      'y is x': () => { const x = F(X); return native.recurrentForward(LSTM, x, 0, F(WIH), 0, F(WHH), 0, null, 0, null, 0, null, 0, null, 0, x, 0, F(BH), 0, F(BH), 0, F(WS), 0, SHAPE); },
      'hN overlaps the workspace': () => { const w = F(WS + BH); return native.recurrentForward(LSTM, F(X), 0, F(WIH), 0, F(WHH), 0, null, 0, null, 0, null, 0, null, 0, F(Y), 0, w, WS - 1, F(BH), 0, w, 0, SHAPE); },
    },
  },
  recurrentBackward: {
    names: ['recurrentBackward'],
    kinds: [OP(native.recurrentCells), BF, OFF(1), BF, OFF(3), BF, OFF(5), BFN, OFF(7), BF, OFF(9), BF, OFF(11), BF, OFF(13), BF, OFF(15),
      BFN, OFF(17), BFN, OFF(19), BFN, OFF(21), BFN, OFF(23), BFN, OFF(25), BFN, OFF(27), BFN, OFF(29), ANY, BOOL],
    valid: backward,
    call: fn('recurrentBackward'),
    extra: {
      ...shapeCases('recurrentBackward', backward, 31),
      'a GRU given a cell state': edited('recurrentBackward', backward, 0, GRU),
      'gradInput is gradOutput': () => { const g = F(X); return native.recurrentBackward(LSTM, F(X), 0, F(WIH), 0, F(WHH), 0, null, 0, F(WS), 0, g, 0, F(BH), 0, F(BH), 0, g, 0, null, 0, null, 0, null, 0, null, 0, null, 0, null, 0, SHAPE, false); },
      'gradWeightIh overlaps gradBiasIh': () => { const b = F(WIH + GH); return native.recurrentBackward(LSTM, F(X), 0, F(WIH), 0, F(WHH), 0, null, 0, F(WS), 0, F(Y), 0, F(BH), 0, F(BH), 0, null, 0, b, 0, null, 0, b, WIH - 1, null, 0, null, 0, null, 0, SHAPE, false); },
    },
  },
};
