from __future__ import annotations

import pytest

from lyceum.config import load_settings
from lyceum.store.calls import CallLog
from lyceum.store.db import Database, open_database


@pytest.fixture
def db(workspace) -> Database:
    return open_database(load_settings(workspace).database_url)


@pytest.fixture
def call_log(db: Database) -> CallLog:
    return CallLog(db)
