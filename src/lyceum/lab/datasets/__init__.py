"""Named datasets for the lab, fetched from packages that install offline."""

from lyceum.lab.datasets import bigbench, freshqa

__all__ = ["bigbench", "freshqa"]

from lyceum.lab.datasets import files, named  # noqa: F401 - registers the datasets
from lyceum.lab.datasets.base import (
    DATASETS,
    Example,
    dataset,
    load_examples,
    sample_examples,
)

__all__ += ["DATASETS", "Example", "dataset", "load_examples", "sample_examples"]
