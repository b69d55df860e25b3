"""The construction pipeline (four stages) that generates the built-in benchmark."""

from ksafe_pytest.dataset.build.pipeline import build_samples, dumps, write_jsonl

__all__ = ["build_samples", "dumps", "write_jsonl"]
