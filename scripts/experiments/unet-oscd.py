#!/usr/bin/python3
"""Exploratory: can a small convolutional network beat the learned s2 classifier on OSCD?

Not part of Gengbao, its tests or CI. It trains a small U-Net on the labelled OSCD cities in
../shared/data with Debian's PyTorch (`apt-get install python3-torch python3-gdal`; CPU only)
and scores each held-out city's raw per-pixel F1 at several cut-offs, the measure
`npm run train:detect` reports for the gradient-boosted trees. The results, and why no
network ships, are in src/detect/README.md ("How the design was chosen").

    /usr/bin/python3 scripts/experiments/unet-oscd.py --arch early --folds 4
    /usr/bin/python3 scripts/experiments/unet-oscd.py --arch early --folds 12 --only 4,9 --iters 2000

Inputs per pixel, as the trees' first twelve features (learned/features.ts): each date's
blue, green, red and NIR standardised by the city's median and 10-90 % spread, and their
differences. City i is held out by fold i % folds.
"""
import argparse, os, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from osgeo import gdal

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/data/oscd')
CITIES = ['abudhabi', 'aguasclaras', 'beirut', 'bercy', 'bordeaux', 'cupertino', 'mumbai',
          'nantes', 'paris', 'pisa', 'rennes', 'saclay_e']
BANDS = ['B02', 'B03', 'B04', 'B08']
CUTS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7]


def read_date(city, date, ref=None):
    """One date's four bands; with `ref`, warped (bilinear) onto ref's grid (abudhabi and
    saclay_e have after grids of other sizes)."""
    out = []
    for b in BANDS:
        p = f'{ROOT}/{city}/{date}/{b}.tif'
        if ref is not None:
            gt = ref.GetGeoTransform()
            w, h = ref.RasterXSize, ref.RasterYSize
            ds = gdal.Warp('', p, format='MEM', width=w, height=h, resampleAlg='bilinear',
                           outputBounds=(gt[0], gt[3] + gt[5] * h, gt[0] + gt[1] * w, gt[3]))
        else:
            ds = gdal.Open(p)
        out.append(ds.GetRasterBand(1).ReadAsArray().astype(np.float32))
    return np.stack(out)


def standardise(x, valid):
    o = np.empty_like(x)
    for i in range(x.shape[0]):
        v = x[i][valid]
        q10, q90 = np.percentile(v, [10, 90])
        o[i] = (x[i] - np.median(v)) / max(q90 - q10, 1e-6)
    return o


def load(city):
    ref = gdal.Open(f'{ROOT}/{city}/before/B02.tif')
    b = read_date(city, 'before')
    a = read_date(city, 'after', ref)
    lab = gdal.Open(f'{ROOT}/{city}/label.png').ReadAsArray()
    lab = ((lab[0] if lab.ndim == 3 else lab) > 127).astype(np.float32)
    valid = (b > 0).all(0) & (a > 0).all(0)
    bs, as_ = standardise(b, valid), standardise(a, valid)
    x = np.concatenate([bs, as_, as_ - bs]).astype(np.float32)
    x[:, ~valid] = 0
    return x, lab


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(),
                         nn.Conv2d(o, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU())


def up(x):
    return F.interpolate(x, scale_factor=2, mode='nearest')


class UNet(nn.Module):
    """Three levels, widths w, 2w, 4w; an encoder over `channels` inputs and a decoder fed
    the deepest level and, at each finer level, what `encode` gives it."""

    def __init__(s, w, channels):
        super().__init__()
        s.e1, s.e2, s.e3 = block(channels, w), block(w, 2 * w), block(2 * w, 4 * w)
        s.d2, s.d1, s.out = block(6 * w, 2 * w), block(3 * w, w), nn.Conv2d(w, 1, 1)

    def levels(s, x):
        a = s.e1(x)
        b = s.e2(F.max_pool2d(a, 2))
        return a, b, s.e3(F.max_pool2d(b, 2))

    def forward(s, x):
        a, b, c = s.encode(x)
        d = s.d2(torch.cat([up(c), b], 1))
        return s.out(s.d1(torch.cat([up(d), a], 1)))


class EarlyFusion(UNet):
    """Both dates and their difference stacked as 12 channels into one encoder."""

    def __init__(s, w):
        super().__init__(w, 12)

    def encode(s, x):
        return s.levels(x)


class SiameseDiff(UNet):
    """One encoder applied to each date's four bands; the decoder sees |after - before| of
    the encoder's features at every level."""

    def __init__(s, w):
        super().__init__(w, 4)

    def encode(s, x):
        a1, b1, c1 = s.levels(x[:, 0:4])
        a2, b2, c2 = s.levels(x[:, 4:8])
        return (a2 - a1).abs(), (b2 - b1).abs(), F.dropout((c2 - c1).abs(), 0.2, s.training)


def crops(data, cities, rng, patch, batch):
    """Random patches with random quarter turns and flips (the dates keep their order:
    construction is directed)."""
    xs, ls = [], []
    for _ in range(batch):
        x, l = data[cities[rng.integers(len(cities))]]
        h, w = l.shape
        i, j = rng.integers(0, h - patch + 1), rng.integers(0, w - patch + 1)
        xx, ll = x[:, i:i + patch, j:j + patch], l[i:i + patch, j:j + patch]
        k = rng.integers(4)
        xx, ll = np.rot90(xx, k, (1, 2)), np.rot90(ll, k)
        if rng.integers(2):
            xx, ll = xx[:, :, ::-1], ll[:, ::-1]
        xs.append(xx.copy())
        ls.append(ll.copy())
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ls))[:, None]


def predict(m, x):
    h, w = x.shape[1:]
    xp = np.zeros((x.shape[0], (h + 3) // 4 * 4, (w + 3) // 4 * 4), np.float32)
    xp[:, :h, :w] = x
    with torch.no_grad():
        return torch.sigmoid(m(torch.from_numpy(xp)[None]))[0, 0, :h, :w].numpy()


def f1(p, l, cut):
    pr = p > cut
    tp, fp, fn = (pr & (l > 0)).sum(), (pr & (l == 0)).sum(), (~pr & (l > 0)).sum()
    return 2 * tp / max(2 * tp + fp + fn, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', choices=['early', 'siam'], default='early')
    ap.add_argument('--width', type=int, default=16)
    ap.add_argument('--iters', type=int, default=1200)
    ap.add_argument('--folds', type=int, default=4)
    ap.add_argument('--only', default='', help='comma-separated fold numbers to run')
    ap.add_argument('--save-probs', default='', help='folder for each held-out city\'s probabilities (<city>.npy)')
    o = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    data = {c: load(c) for c in CITIES}
    only = [int(k) for k in o.only.split(',')] if o.only else range(o.folds)
    scores = {}
    for k in only:
        test = [c for i, c in enumerate(CITIES) if i % o.folds == k]
        train = [c for c in CITIES if c not in test]
        torch.manual_seed(k)
        rng = np.random.default_rng(k)
        m = (EarlyFusion if o.arch == 'early' else SiameseDiff)(o.width)
        opt = torch.optim.Adam(m.parameters(), 1e-3, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=o.iters)
        t0 = time.time()
        m.train()
        for it in range(o.iters):
            x, l = crops(data, train, rng, 64, 24)
            loss = F.binary_cross_entropy_with_logits(m(x), l, pos_weight=torch.tensor(4.0))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if it % 300 == 0:
                print(f'fold {k} iteration {it} loss {float(loss):.3f} {time.time() - t0:.0f} s', flush=True)
        m.eval()
        for c in test:
            p = predict(m, data[c][0])
            if o.save_probs:
                os.makedirs(o.save_probs, exist_ok=True)
                np.save(os.path.join(o.save_probs, c + '.npy'), p)
            scores[c] = [float(f1(p, data[c][1], cut)) for cut in CUTS]
            print(c, ' '.join(f'{cut}:{s:.3f}' for cut, s in zip(CUTS, scores[c])), flush=True)
    print('mean over', len(scores), 'cities:',
          ' '.join(f'{cut}:{np.mean([s[j] for s in scores.values()]):.3f}' for j, cut in enumerate(CUTS)))


if __name__ == '__main__':
    main()
