"""Samples: schema validation, loaders, selection and image rendering."""

from ksafe_pytest.dataset.loader import builtin_path, load_dataset, load_jsonl
from ksafe_pytest.dataset.select import Selection, select

__all__ = ["Selection", "builtin_path", "load_dataset", "load_jsonl", "select"]
