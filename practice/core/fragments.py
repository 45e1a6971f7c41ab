"""Rendered page parts kept while what they show stays the same.

The start page's lists cost more to render than to read (about half of the page: a link, a
"Start visit" button and a formatted date per line). The key is the data itself (the rows
read for this request, the language, the practice's zone), so a part is reused only when it
would come out identical: nothing to invalidate, no stale notice. Per process, a few entries.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from markupsafe import Markup


class FragmentCache:
    """A small least-recently-used map from a hashable key to rendered HTML (thread-safe)."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, render: Callable[[], str]) -> Markup:
        """The part for ``key``, rendered by ``render`` when not kept yet."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found
        made = Markup(render())
        with self._lock:
            self.misses += 1
            self._items[key] = made
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return made

    def clear(self) -> None:
        """Forget every part (tests)."""
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0
