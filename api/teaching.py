"""The app's teaching library and quiz: loaded once per app, an instructor's bad files logged.

At start-up the built-in cases and the files of ``HEPATIC_CASES_DIR`` are read; each file
that cannot join the library is logged as one warning line (the file, the field, the
fix) and listed by ``GET /v1/cases/status``; none stops the server. The quiz's questions
are made on first use (a second or two) and kept; with no instructor folder the process
shares one pool among its apps.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

from anatomy.output.diagram import render
from anatomy.teaching.collection import Library, build_library
from anatomy.teaching.quiz import Pool, build_pool, builtin_pool
from api.settings import Settings

__all__ = ["Teaching", "load_teaching", "svg"]

logger = logging.getLogger("hepatic.teaching")


class Teaching:
    """One app's library, and its quiz pool once made."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._pool: Pool | None = None
        self._lock = threading.Lock()

    def pool(self) -> Pool:
        if self._pool is None:
            with self._lock:
                if self._pool is None:
                    folder = self.library.folder
                    self._pool = builtin_pool() if folder is None else build_pool(self.library)
        return self._pool


def load_teaching(settings: Settings) -> Teaching:
    """The library for these settings; each instructor's file set aside is logged."""
    library = build_library(settings.cases_dir)
    for item in library.rejected:
        logger.warning("instructor case not loaded: %s", item.problem)
    if library.folder is not None:
        logger.info(
            "instructor cases: %d loaded from %s, %d not loaded",
            len(library.instructor),
            library.folder,
            len(library.rejected),
        )
    return Teaching(library)


@lru_cache(maxsize=256)
def svg(dot: str) -> bytes:
    """A teaching figure drawn as SVG; the same DOT text is drawn once."""
    return render(dot, "svg")
