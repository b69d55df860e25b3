"""Statistics of a run, in plain Python with no pytest in sight: cluster-robust intervals,
judge-error correction, paired tests (McNemar and its clustered form) and gate power."""

from ksafe_pytest.stats.mcnemar import EXACT_UP_TO, mcnemar, mcnemar_by_category

__all__ = ["EXACT_UP_TO", "mcnemar", "mcnemar_by_category"]
