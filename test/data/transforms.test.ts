import { describe, expect, it } from 'vitest';
import { data, randn, tensor } from '../../src/index.js';
import { setDefaultDevice } from '../../src/backend/registry.js';
import { dataError, onEachDevice } from '../helpers/devices.js';

function refStats(x: Float32Array, n: number, d: number) {
  const mean = new Array(d).fill(0);
  const std = new Array(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) std[j] += (x[i * d + j] - mean[j]) ** 2 / n;
  return { mean, std: std.map(Math.sqrt) };
}

describe('Standardize', () => {
  it('fits per-feature mean and population std (float64 reference) and standardizes', () => {
    const n = 500, d = 7;
    const x = randn([n, d], { mean: 3, std: 2 });
    const xs = x.toFloat32Array();
    const ref = refStats(xs, n, d);
    const s = new data.Standardize().fit(x);
    ref.mean.forEach((m, j) => expect(s.mean![j]).toBeCloseTo(m, 5));
    ref.std.forEach((v, j) => expect(s.std![j]).toBeCloseTo(v, 5));
    const z = s.transform(x).toFloat32Array();
    for (let i = 0; i < n; i += 37) for (let j = 0; j < d; j++) {
      expect(z[i * d + j]).toBeCloseTo((xs[i * d + j] - ref.mean[j]) / ref.std[j], 4);
    }
    const back = s.inverseTransform(s.transform(x)).toFloat32Array();
    for (let i = 0; i < n * d; i += 13) expect(back[i]).toBeCloseTo(xs[i], 4);
  });

  it('is fitted on the training set only and applied unchanged to test data', () => {
    const train = tensor([[0, 10], [2, 10], [4, 10]]);
    const test = tensor([[6, 11]]);
    const s = new data.Standardize().fit(train);
    // mean [2, 10], std [sqrt(8/3), 0] -> the constant feature keeps scale 1
    const z = Array.from(s.transform(test).toArray());
    expect(z[0]).toBeCloseTo(4 / Math.sqrt(8 / 3), 5);
    expect(z[1]).toBeCloseTo(1, 6);
  });

  it('serializes its fitted state (toJSON / fromJSON) and transforms in place', () => {
    const x = randn([50, 3]);
    const s = new data.Standardize().fit(x);
    const copy = data.Standardize.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(Array.from(copy.transform(x).toArray())).toEqual(Array.from(s.transform(x).toArray()));
    const y = s.transform(x);
    s.transform(x, x);
    expect(Array.from(x.toArray())).toEqual(Array.from(y.toArray()));
    expect(() => data.Standardize.fromJSON({ type: 'Standardize', mean: [1], std: [] })).toThrow(/equal lengths/);
  });

  it('rejects NaN features, unfitted use and wrong widths', () => {
    expect(() => new data.Standardize().fit(tensor([[1, 2], [NaN, 3]]))).toThrow(/Standardize.fit: features contain NaN at sample 1, feature 0/);
    expect(() => new data.Standardize().transform(tensor([[1]]))).toThrow(/call fit\(\) first/);
    const s = new data.Standardize().fit(tensor([[1, 2], [3, 4]]));
    expect(() => s.transform(tensor([[1, 2, 3]]))).toThrow(/expected samples with 2 features, got shape \[1, 3\]/);
    expect(() => new data.Standardize().fit(tensor(new Float32Array(0), [0, 2]))).toThrow(/empty dataset/);
  });
});

describe('MinMaxScale', () => {
  it('maps the training range onto featureRange, constant features by range 1', () => {
    const x = tensor([[1, 5, -1], [3, 5, 1], [2, 5, 0]]);
    const s = new data.MinMaxScale([-1, 1]).fit(x);
    // constant feature: scale (hi - lo) / 1 = 2, shift lo - 5 * 2, so 5 maps to lo (scikit-learn)
    expect(Array.from(s.transform(x).toArray())).toEqual([-1, -1, -1, 1, -1, 1, 0, -1, 0]);
    const copy = data.MinMaxScale.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(Array.from(copy.transform(x).toArray())).toEqual(Array.from(s.transform(x).toArray()));
    expect(() => new data.MinMaxScale([1, 0])).toThrow(/lo < hi/);
  });
});

onEachDevice((device) => {
  describe('oneHot', () => {
    it('encodes labels natively and checks their range', () => {
      expect(data.oneHot([2, 0, 1], 4).toList()).toEqual([[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
      expect(data.oneHot(tensor(Int32Array.from([1, 1]))).shape).toEqual([2, 2]);
      expect(() => data.oneHot([0, 5], 3).toArray()).toThrow(dataError(device, 'oneHot', 'label 5 at position 1 is out of range for 3 classes'));
    });
  });

  describe('DataLoader over a dataset on the device', () => {
    it('gathers shuffled batches there, with the labels and a host-fitted Standardize', () => {
      // Fitted where the data is loaded, with the host as the default device (the statistics
      // kernel runs on the host only); the loader moves the fitted map to the dataset's device.
      setDefaultDevice('cpu');
      const x = randn([40, 3], { mean: 5 });
      const s = (() => {
        try {
          return new data.Standardize().fit(x);
        } finally {
          setDefaultDevice(device);
        }
      })();
      const expected = s.transform(x).toFloat32Array();
      const ids = tensor(Int32Array.from({ length: 40 }, (_, i) => i));
      const loader = new data.DataLoader(new data.TensorDataset(x.to(device), ids), { batchSize: 16, shuffle: true, seed: 2, transform: s });
      const seen: number[] = [];
      for (const [bx, by] of loader) {
        expect([bx.device, by.device]).toEqual([device, device]);
        const rows = bx.toFloat32Array();
        Array.from(by.toArray()).forEach((id, r) => {
          seen.push(id);
          for (let j = 0; j < 3; j++) expect(Math.abs(rows[r * 3 + j] - expected[id * 3 + j])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected[id * 3 + j])));
        });
      }
      const all = Array.from({ length: 40 }, (_, i) => i);
      expect(seen).not.toEqual(all);
      expect([...seen].sort((a, b) => a - b)).toEqual(all);
    });
  });
});

describe('DataLoader with Standardize', () => {
  it('standardizes each batch in place with the training statistics', () => {
    const x = randn([40, 4], { mean: 5 });
    const y = tensor(new Int32Array(40));
    const s = new data.Standardize().fit(x);
    const expected = s.transform(x).toFloat32Array();
    const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 16, transform: s });
    const got: number[] = [];
    for (const [bx] of loader) got.push(...bx.toFloat32Array());
    // the loader fuses gather + x * scale + shift natively (possibly one FMA rounding instead of two)
    expect(got.length).toBe(expected.length);
    got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected[i]))));
    // a function transform takes the general path: gather, then the function in place
    const viaFunction = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 16, transform: (b) => void s.transform(b, b) });
    const got2: number[] = [];
    for (const [bx] of viaFunction) got2.push(...bx.toFloat32Array());
    expect(got2).toEqual(Array.from(expected));
  });
});
