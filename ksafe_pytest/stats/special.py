"""The few distribution functions the intervals, tests and power figures need, in plain
Python (the core package has no numpy or scipy): the regularized incomplete beta function,
and from it Student's t and beta quantiles. Accurate to ~1e-10, far below what a reported
rate shows."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from statistics import NormalDist

_NORMAL = NormalDist()
_EPS = 1e-14
_TINY = 1e-300


def normal_quantile(q: float) -> float:
    return _NORMAL.inv_cdf(q)


def normal_cdf(x: float) -> float:
    return _NORMAL.cdf(x)


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta (modified Lentz); converges fast for
    x < (a + 1) / (a + b + 2), which the caller arranges."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            result *= c * d
        if abs(c * d - 1.0) < _EPS:
            break
    return result


def betainc(a: float, b: float, x: float) -> float:
    """I_x(a, b): P(B <= x) for B ~ Beta(a, b); a, b > 0."""
    if a <= 0 or b <= 0:
        raise ValueError("beta parameters must be > 0")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def _bisect(f: float, lo: float, hi: float, cdf: Callable[[float], float]) -> float:
    """The x in [lo, hi] where the increasing `cdf` reaches `f`."""
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if cdf(mid) < f:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return 0.5 * (lo + hi)


def beta_quantile(q: float, a: float, b: float) -> float:
    """x with I_x(a, b) = q: Newton steps on the beta density, kept inside a bracket that
    bisection narrows whenever a step would leave it."""
    if q <= 0.0:
        return 0.0
    if q >= 1.0:
        return 1.0
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    lo, hi = 0.0, 1.0
    x = a / (a + b)
    for _ in range(200):
        f = betainc(a, b, x) - q
        if f < 0:
            lo = x
        else:
            hi = x
        density = math.exp(log_norm + (a - 1) * math.log(x) + (b - 1) * math.log1p(-x))
        step = f / density if density > 0 else 0.0
        nxt = x - step
        if not lo < nxt < hi or density <= 0:
            nxt = 0.5 * (lo + hi)
        if abs(nxt - x) < 1e-12 or hi - lo < 1e-12:
            return nxt
        x = nxt
    return x


def t_cdf(t: float, df: float) -> float:
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_pdf(t: float, df: float) -> float:
    return math.exp(math.lgamma((df + 1.0) / 2.0) - math.lgamma(df / 2.0)
                    - 0.5 * math.log(df * math.pi) - (df + 1.0) / 2.0 * math.log1p(t * t / df))


@lru_cache(maxsize=4096)
def t_quantile(q: float, df: float) -> float:
    """Student's t quantile; the normal one for df > 1e7 (same to 1e-7). Newton steps from
    the normal quantile (the cdf is concave above 0, so they climb to the root without
    overshooting); bisection for df < 3, where they would crawl."""
    if df > 1e7:
        return normal_quantile(q)
    if q == 0.5:
        return 0.0
    if q < 0.5:
        return -t_quantile(1.0 - q, df)
    if df >= 3:
        x = normal_quantile(q)
        for _ in range(50):
            step = (t_cdf(x, df) - q) / t_pdf(x, df)
            x -= step
            if abs(step) < 1e-11 * max(1.0, abs(x)):
                return x
    hi = 1.0
    while t_cdf(hi, df) < q:
        hi *= 2.0
    return _bisect(q, 0.0, hi, lambda t: t_cdf(t, df))


def rounded(value: float | None, digits: int = 6) -> float | None:
    """A figure as reports store it: rounded, None kept."""
    return None if value is None else round(value, digits)
