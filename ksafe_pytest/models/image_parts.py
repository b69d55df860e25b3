"""Image specs to PNG data URLs for the HTTP transports: off the event loop, memoized.

Rendering a PNG takes a few milliseconds of CPU: done in the event loop it would stall
every call in flight, so it runs on one render thread (ImageCache is not shared across
threads). The last few hundred data URLs are kept, so the many samples that share an image
(strategy variants, benign twins) skip the thread hop and the base64 step.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ksafe_pytest.dataset.images import ImageCache, data_url
from ksafe_pytest.records import ImageSpec


class ImageURLs:
    def __init__(self, images: ImageCache | None = None, image_dir: str | None = None,
                 max_items: int = 512) -> None:
        self._images = images
        self._image_dir = image_dir
        self._max_items = max_items
        self._memo: OrderedDict[str, str] = OrderedDict()
        self._pool: ThreadPoolExecutor | None = None

    def _render(self, spec: ImageSpec) -> str:
        if self._images is None:
            self._images = ImageCache(Path(self._image_dir) if self._image_dir else None)
        return data_url(self._images.png(spec))

    async def url(self, spec: ImageSpec) -> str:
        key = spec.key
        hit = self._memo.get(key)
        if hit is not None:
            self._memo.move_to_end(key)
            return hit
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="ksafe-render")
        url = await asyncio.get_running_loop().run_in_executor(self._pool, self._render, spec)
        self._memo[key] = url
        if len(self._memo) > self._max_items:
            self._memo.popitem(last=False)
        return url

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
