"""Alembic environment: run the console's migrations on the URL that ``bot.console.db`` passes."""

from __future__ import annotations

from alembic import context

from bot.console.db import VERSION_TABLE
from bot.console.models import Base
from bot.database import get_engine

config = context.config
engine = get_engine(config.attributes["url"])
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        # SQLite alters tables by copying them: batch mode does that for every later migration.
        render_as_batch=engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
