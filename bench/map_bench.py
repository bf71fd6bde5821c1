"""Map first render on loopback: time until every layer is drawn, and bytes transferred.

    RIVERCHIEF_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:54339/postgres \\
        .venv/bin/python bench/map_bench.py [--runs 5]

Run by hand (not in CI). Starts the same throwaway demo server as the browser tests
(demo geography, roster and activity), drives Debian's headless Chromium, and prints:
- time from navigation start to the page's ``riverchief-ready`` mark (areas, rivers,
  segments, coverage, problems and crossings all drawn), cold (empty cache) and warm (reload:
  revalidated with ETags), for the public and for a signed-in office user;
- bytes on the wire (CDP ``encodedDataLength``: compressed bodies plus headers);
- what zoom simplification plus gzip save against the full-detail ``/api/v1/areas.geojson``.
Targets (issue 6): <= 1.5 s and <= 1.5 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    LiveServer,
    chromium,
    running_server,
)

Load = tuple[Any, float, int, list[tuple[int, str]]]


def one_load(ctx: Any, url: str, *, reload: bool = False, page: Any = None) -> Load:
    """(page, ms to ready, bytes, [(bytes, url)]) for one navigation."""
    page = page or ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: list[tuple[int, str]] = []
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.append((int(e["encodedDataLength"]), urls.get(e["requestId"], "?"))),
    )
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    page.wait_for_timeout(200)  # let the last loadingFinished events arrive
    ms = page.evaluate("performance.getEntriesByName('riverchief-ready')[0].startTime")
    cdp.detach()
    return page, float(ms), sum(s for s, _ in sizes), sizes


def measure(browser: Any, server: LiveServer, runs: int, user: str | None) -> dict[str, Any]:
    cold_ms, cold_bytes, warm_ms, warm_bytes = [], [], [], []
    biggest: list[tuple[int, str]] = []
    for _ in range(runs):
        ctx = browser.new_context(
            viewport={"width": 1280, "height": 800}, service_workers="block", locale="zh-CN"
        )
        try:
            if user:
                # Signed in as the sign-in form leaves it: the token in sessionStorage.
                token = json.dumps(server.token(user))
                ctx.add_init_script(f"sessionStorage.setItem('riverchief.token', {token})")
            page, ms, total, sizes = one_load(ctx, server.url + "/")
            cold_ms.append(ms)
            cold_bytes.append(total)
            biggest = sorted(sizes, reverse=True)[:6]
            page, ms, total, _ = one_load(ctx, server.url + "/", page=page, reload=True)
            warm_ms.append(ms)
            warm_bytes.append(total)
        finally:
            ctx.close()
    return {
        "cold_ms": cold_ms,
        "cold_bytes": cold_bytes,
        "warm_ms": warm_ms,
        "warm_bytes": warm_bytes,
        "biggest": biggest,
    }


def geometry_savings(base: str) -> tuple[int, int]:
    full = httpx.get(f"{base}/api/v1/areas.geojson", headers={"Accept-Encoding": "identity"})
    slim = httpx.get(f"{base}/api/v1/map/areas.geojson?zoom=8", headers={"Accept-Encoding": "gzip"})
    return len(full.content), int(slim.headers.get("content-length", len(slim.content)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with running_server() as server, chromium() as browser:
        # One throwaway load warms the server (imports, connection pool), as in production.
        warm = browser.new_context(service_workers="block")
        one_load(warm, server.url + "/")
        warm.close()
        for label, user in (("public", None), ("office", "office")):
            r = measure(browser, server, args.runs, user)
            med = statistics.median
            print(
                f"{label}: first render cold median {med(r['cold_ms']):.0f} ms "
                f"(max {max(r['cold_ms']):.0f}), {med(r['cold_bytes']) / 1e3:.0f} kB; "
                f"warm median {med(r['warm_ms']):.0f} ms, "
                f"{med(r['warm_bytes']) / 1e3:.0f} kB  ({args.runs} runs)"
            )
            for size, url in r["biggest"]:
                print(f"    {size / 1e3:7.1f} kB  {url.replace(server.url, '')}")
        full, slim = geometry_savings(server.url)
        print(
            f"areas: full detail uncompressed {full / 1e3:.0f} kB vs zoom-8 gzip "
            f"{slim / 1e3:.0f} kB ({full / slim:.1f}x smaller)"
        )


if __name__ == "__main__":
    main()
