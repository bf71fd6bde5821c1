"""``python -m service.dbstate``: prints ``empty`` if no river is loaded yet, else ``loaded``."""

from __future__ import annotations

from sqlalchemy import text

from service.db import get_engine

if __name__ == "__main__":
    with get_engine().connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM river")).scalar_one()
    print("empty" if count == 0 else "loaded")
