# Reference values for src/stats, from scipy/numpy/mpmath (an implementation independent of ours).
#
# Made with Debian's packages (python3-scipy 1.10.1, python3-numpy 1.24.2, python3-mpmath 1.2.1):
#
#   apt-get install -y python3-scipy python3-mpmath
#   /usr/bin/python3 -I scripts/stats-fixture.py && npx prettier --write src/stats/fixture.json
#
# It writes src/stats/fixture.json (overwriting it; prettier then lays it out as the repo's lint
# expects, without changing a value); src/stats/fixture.test.ts compares the module to it. `-I`
# keeps a pip-installed scipy out, so the versions above are the ones used. Takes about 6 minutes on a busy 2-core machine (mostly the ten-million-term sum).
#
# Where each reference value comes from:
# - log-gamma: scipy.special.gammaln; log-beta: mpmath at 40 digits (scipy's betaln loses ~1e-11
#   relative at B(3, 1e6)); normal CDF/quantile: scipy.stats.norm; chi-square tail:
#   scipy.stats.chi2.sf; incomplete gamma: scipy.special.gammaincc.
# - Wilson bounds: roots of the score equation (p̂ − p)²·n = z²·p(1 − p) found with
#   scipy.optimize.brentq, not the closed form the module uses.
# - Relative uplift and its interval: the delta method written out in numpy.
# - p-values: scipy.stats.chi2_contingency on the 2×2 table without continuity correction (its χ²
#   equals the pooled z²); a table with an all-zero column has equal rates, so p = 1.
# - Chance to beat: the exact sum over all aB terms in mpmath at 40 digits (no windowing, no
#   log-beta tricks), cross-checked with scipy.integrate.quad of pdf_B·cdf_A wherever quad can
#   resolve the integrand (every count ≤ 10,000); the script stops if they disagree by 1e-9.
# - SRM: scipy.stats.chisquare with the expected shares scaled to the observed total.
import json
import math
import os
import sys

import mpmath
import numpy as np
import scipy
from scipy import integrate, optimize, special, stats

mpmath.mp.dps = 40
OUT = os.path.join(os.path.dirname(__file__), '..', 'src', 'stats', 'fixture.json')


def log_beta_mp(a, b):
    return float(mpmath.loggamma(a) + mpmath.loggamma(b) - mpmath.loggamma(a + b))


def wilson_by_root(x, n, level):
    z = stats.norm.ppf(0.5 + level / 2)
    phat = x / n
    f = lambda p: (phat - p) ** 2 * n - z * z * p * (1 - p)
    # The equation is 0 at p = p̂ only through its second root; at x = 0 (or n) p̂ is itself a root,
    # so the bracket starts just beside it.
    lo_end = 1 - 1e-12 if x == n else phat
    hi_start = 1e-12 if x == 0 else phat
    lower = 0.0 if x == 0 else optimize.brentq(f, 0.0, lo_end, xtol=1e-15, rtol=1e-15)
    upper = 1.0 if x == n else optimize.brentq(f, hi_start, 1.0, xtol=1e-15, rtol=1e-15)
    return lower, upper


def uplift_delta(xc, nc, xt, nt, level=0.95):
    if nc == 0 or nt == 0 or xc == 0:
        return None, None, None
    pc, pt = np.float64(xc) / nc, np.float64(xt) / nt
    var = pc * (1 - pc) * pt**2 / (pc**4 * nc) + pt * (1 - pt) / (pc**2 * nt)
    z = stats.norm.ppf(0.5 + level / 2)
    d = (pt - pc) / pc
    return float(d), float(d - z * np.sqrt(var)), float(d + z * np.sqrt(var))


def p_value(xc, nc, xt, nt):
    if nc == 0 or nt == 0:
        return None
    table = np.array([[xc, nc - xc], [xt, nt - xt]], dtype=float)
    if (table.sum(axis=0) == 0).any():
        return 1.0
    return float(stats.chi2_contingency(table, correction=False)[1])


def chance_exact(aA, bA, aB, bB):
    a_a, b_a, a_b, b_b = (mpmath.mpf(v) for v in (aA, bA, aB, bB))
    term = mpmath.exp(
        mpmath.log(mpmath.beta(a_a, b_a + b_b))
        - mpmath.log(b_b)
        - mpmath.log(mpmath.beta(1, b_b))
        - mpmath.log(mpmath.beta(a_a, b_a))
    )
    total = mpmath.mpf(0)
    for i in range(aB):
        total += term
        term *= (a_a + i) * (b_b + i) / ((a_a + b_a + b_b + i) * (i + 1))
    return float(total)


def chance_quad(aA, bA, aB, bB):
    f = lambda x: stats.beta.pdf(x, aB, bB) * stats.beta.cdf(x, aA, bA)
    points = sorted({aA / (aA + bA), aB / (aB + bB)})
    return integrate.quad(f, 0, 1, points=points, epsabs=1e-14, epsrel=1e-12, limit=1000)[0]


def chance(xc, nc, xt, nt):
    if nc == 0 or nt == 0:
        return None
    aA, bA, aB, bB = 1 + xc, 1 + nc - xc, 1 + xt, 1 + nt - xt
    # mpmath is slow, so sum the shortest of the four equivalent forms: P(B > A) = 1 − P(A > B),
    # and the mirror p → 1 − p (1 − p_A ~ Beta(bA, aA) beats 1 − p_B exactly when B beats A).
    shortest = min(aA, bA, aB, bB)
    if shortest == aB:
        exact = chance_exact(aA, bA, aB, bB)
    elif shortest == aA:
        exact = 1 - chance_exact(aB, bB, aA, bA)
    elif shortest == bA:
        exact = chance_exact(bB, aB, bA, aA)
    else:
        exact = 1 - chance_exact(bA, aA, bB, aB)
    if max(nc, nt) <= 10_000:
        quad = chance_quad(aA, bA, aB, bB)
        if abs(quad - exact) > 1e-9:
            sys.exit(f'chance to beat: exact {exact} and quad {quad} disagree for {(xc, nc, xt, nt)}')
    return exact


def srm(observed, expected):
    keep = [i for i, w in enumerate(expected) if w > 0]
    o = np.array([observed[i] for i in keep], dtype=float)
    w = np.array([expected[i] for i in keep], dtype=float)
    if o.sum() == 0 or len(keep) < 2:
        return 0.0, 1.0
    e = w / w.sum() * o.sum()
    chi, p = stats.chisquare(o, e)
    return float(chi), float(p)


COMPARISONS = [
    ('typical', (50, 1000), (70, 1000)),
    ('both empty', (0, 0), (0, 0)),
    ('treatment empty', (5, 100), (0, 0)),
    ('both zero conversions', (0, 10), (0, 10)),
    ('control at zero', (0, 10), (3, 10)),
    ('treatment at zero', (3, 10), (0, 10)),
    ('both at 100%', (10, 10), (10, 10)),
    ('treatment at 100%', (5, 10), (10, 10)),
    ('control at 100%', (10, 10), (7, 12)),
    ('one unit each', (1, 1), (0, 1)),
    ('tiny', (1, 3), (2, 5)),
    ('large, 5%', (50_000, 1_000_000), (51_000, 1_000_000)),
    ('large, 50%', (500_000, 1_000_000), (501_000, 1_000_000)),
    ('unequal arms', (120, 2000), (40, 500)),
    ('rare events', (3, 100_000), (9, 100_000)),
    ('near 100%, large', (999_990, 1_000_000), (999_999, 1_000_000)),
    ('small treatment', (7, 150), (0, 5)),
    ('equal', (45, 900), (45, 900)),
    ('clear loser', (200, 1000), (120, 1000)),
    ('large against tiny', (1, 2), (300_000, 1_000_000)),
    # Every Beta shape ≥ 1e7: the module switches to its Edgeworth expansion here; mpmath sums all
    # ten million terms exactly (minutes).
    ('huge, Edgeworth range', (10_000_000, 25_000_000), (10_008_000, 25_000_000)),
]

SRM_CASES = [
    ([5000, 5400], [0.5, 0.5]),
    ([0, 0], [0.5, 0.5]),
    ([10, 10, 10], [1, 1, 1]),
    ([100, 200, 300, 400, 500, 600, 700, 800], [1] * 8),
    ([1000, 1010, 990, 1005, 995], [0.2] * 5),
    ([820, 4100, 4080], [0.1, 0.45, 0.45]),
    ([820, 4100, 4080], [812.3, 4093.7, 4094.0]),
    ([7, 20], [1, 1]),
    ([5, 0, 5], [1, 0, 1]),
    ([3, 9], [1, 3]),
    ([500_000, 501_500], [1, 1]),
    ([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]),
    ([40, 60, 50, 52, 48, 47, 53], [1] * 7),
]


def main():
    fixture = {
        'generatedBy': '/usr/bin/python3 -I scripts/stats-fixture.py'
        ' && npx prettier --write src/stats/fixture.json',
        'versions': {
            'scipy': scipy.__version__,
            'numpy': np.__version__,
            'mpmath': mpmath.__version__,
        },
        'logGamma': [
            [x, float(special.gammaln(x))]
            for x in [1e-3, 0.1, 0.5, 1, 1.5, 2, 2.5, 5, 9.99, 10, 10.5, 50.5, 1e3, 1e6 + 0.5, 1e9]
        ],
        'logBeta': [
            [a, b, log_beta_mp(a, b)]
            for a, b in [(1, 1), (2, 3), (0.5, 0.5), (3, 1e6), (1e6, 1e6), (15, 12), (9, 11),
                         (1, 50), (51, 951), (500_001, 499_001), (2.5, 1e4)]
        ],
        'normalCdf': [
            [x, float(stats.norm.cdf(x))]
            for x in [-38, -37, -20, -8, -5, -3, -1.959963984540054, -1, -0.5, 0, 0.3, 1,
                      1.959963984540054, 3, 5, 8]
        ],
        'normalQuantile': [
            [p, float(stats.norm.ppf(p))]
            for p in [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.1, 0.3,
                      0.5, 0.7, 0.9, 0.975, 0.995, 0.999, 1 - 1e-10]
        ],
        'twoSidedNormalP': [
            [z, float(2 * stats.norm.sf(abs(z)))]
            for z in [0, 0.1, 1, 1.959963984540054, -2.5, 3, 5, 10, -20, 37]
        ],
        'chiSquareSf': [
            [x, df, float(stats.chi2.sf(x, df))]
            for df in range(1, 8)
            for x in [0.001, 0.5, 1, 3.84, 10, 16.27, 50, 200, 1000]
        ],
        'upperGammaRegularized': [
            [a, x, float(special.gammaincc(a, x))]
            for a, x in [(0.5, 0.01), (0.5, 2), (1, 2), (3.5, 3), (3.5, 5), (50, 40), (50, 60),
                         (0.5, 300), (100, 1)]
        ],
        'wilson': [],
        'comparisons': [],
        'srm': [],
    }
    for x, n, level in [(0, 10, 0.95), (1, 10, 0.95), (5, 10, 0.95), (10, 10, 0.95),
                        (0, 1, 0.95), (1, 1, 0.95), (50, 1000, 0.95), (3, 100_000, 0.95),
                        (500_000, 1_000_000, 0.95), (999_999, 1_000_000, 0.95),
                        (50, 1000, 0.99), (7, 40, 0.8)]:
        lower, upper = wilson_by_root(x, n, level)
        fixture['wilson'].append(
            {'conversions': x, 'units': n, 'level': level, 'lower': lower, 'upper': upper})
    for name, (xc, nc), (xt, nt) in COMPARISONS:
        uplift, lower, upper = uplift_delta(xc, nc, xt, nt)
        fixture['comparisons'].append({
            'name': name,
            'control': {'conversions': xc, 'units': nc},
            'treatment': {'conversions': xt, 'units': nt},
            'uplift': uplift,
            'upliftLower': lower,
            'upliftUpper': upper,
            'pValue': p_value(xc, nc, xt, nt),
            'chanceToBeat': chance(xc, nc, xt, nt),
        })
        print('done:', name, file=sys.stderr)
    for observed, expected in SRM_CASES:
        chi, p = srm(observed, expected)
        fixture['srm'].append(
            {'observed': observed, 'expected': expected, 'chiSquare': chi, 'pValue': p})
    for key in ('logGamma', 'logBeta', 'normalCdf', 'normalQuantile', 'chiSquareSf'):
        for row in fixture[key]:
            assert all(v is None or math.isfinite(v) for v in row), (key, row)
    with open(OUT, 'w') as f:
        json.dump(fixture, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
