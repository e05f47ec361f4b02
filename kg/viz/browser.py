"""Open viewer pages in headless Chromium: for the tests, the benchmark and the README screenshot.

Needs the ``playwright`` Python package (the ``[test]`` extras) and Debian's
``/usr/bin/chromium``; Playwright's own browser downloads are never used. Nothing here
runs when the viewer is written.

Run ``python -m kg.viz.browser outputs/graph.html outputs/viewer.png`` to save a
screenshot of a page (``--focus NAME`` searches a node first).

Examples
--------
>>> CHROMIUM, CHROMIUM_ARGS[0]
('/usr/bin/chromium', '--headless=new')
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "READY", "launch", "main", "screenshot"]

#: Debian's Chromium (``apt-get install chromium``; scripts/test.sh installs it).
CHROMIUM = "/usr/bin/chromium"
#: Headless, no sandbox (containers, CI), nothing that reaches the network by itself.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


#: Selector that matches once the viewer has drawn its first frame. Wait on it rather than on
#: ``wait_for_function``: the page's Content-Security-Policy forbids the ``eval`` it may need.
READY = "body[data-ready=true]"


def launch(playwright):
    """Launch Debian's Chromium through a started ``sync_playwright()`` object."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def screenshot(
    page_path: str | Path,
    png_path: str | Path,
    *,
    focus: str | None = None,
    width: int = 1400,
    height: int = 900,
    timeout_ms: int = 60_000,
) -> Path:
    """Open a viewer page, wait until it is drawn, optionally search a node, save a PNG."""
    from playwright.sync_api import sync_playwright

    out = Path(png_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(Path(page_path).resolve().as_uri())
            page.wait_for_selector(READY, state="attached", timeout=timeout_ms)
            if focus:
                page.fill("[data-testid=search]", focus)
                page.press("[data-testid=search]", "Enter")
            page.wait_for_timeout(300)
            page.screenshot(path=str(out))
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m kg.viz.browser PAGE PNG [--focus NAME]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("png")
    parser.add_argument("--focus", default=None, help="search this name before the screenshot")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    print(screenshot(args.page, args.png, focus=args.focus, width=args.width, height=args.height))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
