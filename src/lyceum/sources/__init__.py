"""Sources research workers search: the `Source` protocol, `Hit`, and a registry by name.

from lyceum.sources import make_source
hits = await make_source("local", collection="papers").search("entropy", k=5)
"""

from lyceum.sources.base import SOURCES, Hit, Source, make_source, register_source

__all__ = ["SOURCES", "Hit", "Source", "make_source", "register_source"]
