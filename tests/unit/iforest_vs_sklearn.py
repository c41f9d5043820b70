#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ntt's Isolation Forest against scikit-learn's on the same data.

Usage: iforest_vs_sklearn.py PATH/TO/iforest-score

A synthetic data set (numpy, fixed seed): 2000 points from a mixture of
two Gaussian clusters in 5 dimensions and 40 planted outliers spread
uniformly over a box well beyond them. Both implementations train with
the paper's defaults (100 trees, subsample 256) and score every point.
The test asks:
  - scikit-learn and ntt rank the points alike: Spearman rank correlation
    of the scores at least 0.90 (two forests grown from different random
    draws; two scikit-learn forests of different seeds agree to about the
    same degree, which the test also measures and prints);
  - both find the planted outliers: ROC AUC at least 0.95 each.
Exit 77 (skipped) when scikit-learn is not installed (Debian's
python3-sklearn, a test-only dependency: packaging/deps.sh --tests).
"""
import subprocess
import sys

try:
    import numpy as np
    from scipy.stats import spearmanr
    from sklearn.ensemble import IsolationForest
    from sklearn.metrics import roc_auc_score
except ImportError as e:
    print(f"skipped: {e} (apt-get install python3-sklearn)")
    sys.exit(77)

MIN_SPEARMAN = 0.90
MIN_AUC = 0.95


def data():
    rng = np.random.default_rng(12)
    a = rng.normal(0, 1, size=(1200, 5))
    b = rng.normal(4, 0.5, size=(800, 5))
    out = rng.uniform(-10, 14, size=(400, 5))
    # Keep the uniform points far from both clusters.
    far = out[(np.linalg.norm(out, axis=1) > 6) & (np.linalg.norm(out - 4, axis=1) > 5)][:40]
    assert len(far) == 40
    x = np.vstack([a, b, far]).astype(np.float32)
    y = np.r_[np.zeros(2000), np.ones(40)]
    return x, y


def ntt_scores(tool, x, seed):
    csv = "\n".join(",".join(f"{v:.9g}" for v in row) for row in x) + "\n"
    out = subprocess.run([tool, "100", "256", str(seed)], input=csv, text=True,
                         capture_output=True, check=True).stdout
    return np.array([float(s) for s in out.split()])


def sklearn_scores(x, seed):
    forest = IsolationForest(n_estimators=100, max_samples=256, random_state=seed).fit(x)
    return -forest.score_samples(x)   # score_samples is -s(x)


def main():
    tool = sys.argv[1]
    x, y = data()
    ntt = ntt_scores(tool, x, 2008)
    sk = sklearn_scores(x, 0)
    sk_other = sklearn_scores(x, 1)
    rho = spearmanr(ntt, sk).correlation
    rho_sk = spearmanr(sk, sk_other).correlation
    auc_ntt, auc_sk = roc_auc_score(y, ntt), roc_auc_score(y, sk)
    print(f"Spearman(ntt, sklearn) = {rho:.4f} (sklearn seed 0 vs 1: {rho_sk:.4f}); "
          f"ROC AUC ntt {auc_ntt:.4f}, sklearn {auc_sk:.4f}; "
          f"mean |score difference| {np.mean(np.abs(ntt - sk)):.4f}")
    ok = rho >= MIN_SPEARMAN and auc_ntt >= MIN_AUC and auc_sk >= MIN_AUC
    # Same data, same seed: the same scores.
    ok = ok and np.array_equal(ntt, ntt_scores(tool, x, 2008))
    if not ok:
        print("FAILED")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
