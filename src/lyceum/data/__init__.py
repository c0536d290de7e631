"""Lyceum data."""

# Public API of the data pipeline, imported on first use so that `lyceum.data.extract`
# (used by retrieval) does not load the pipeline's modules.
_EXPORTS = {
    "Record": "lyceum.data.records",
    "read_records": "lyceum.data.records",
    "write_records": "lyceum.data.records",
    "CleanConfig": "lyceum.data.clean",
    "clean_records": "lyceum.data.clean",
    "clean_text": "lyceum.data.clean",
    "DedupConfig": "lyceum.data.dedup",
    "DedupSummary": "lyceum.data.dedup",
    "deduplicate": "lyceum.data.dedup",
    "deduplicate_file": "lyceum.data.dedup",
    "FormatConfig": "lyceum.data.formats",
    "format_records": "lyceum.data.formats",
    "ReadConfig": "lyceum.data.readers",
    "read": "lyceum.data.readers",
    "list_sources": "lyceum.data.readers",
    "extract_archive": "lyceum.data.archives",
    "StepStats": "lyceum.data.stats",
    "clean_file": "lyceum.data.step_runs",
    "read_file": "lyceum.data.step_runs",
    "format_file": "lyceum.data.step_runs",
    "corpus_stats": "lyceum.data.step_runs",
    "LocalExecutor": "lyceum.data.executors",
    "RayExecutor": "lyceum.data.executors",
    "PipelineConfig": "lyceum.data.pipeline_config",
    "load_pipeline": "lyceum.data.pipeline_config",
    "PipelineResult": "lyceum.data.pipeline",
    "run_pipeline": "lyceum.data.pipeline",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lyceum.data' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
