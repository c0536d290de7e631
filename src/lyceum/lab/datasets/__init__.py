"""Named datasets for the lab, fetched from packages that install offline."""

from lyceum.lab.datasets import bigbench

__all__ = ["bigbench"]
