"""Make docs/img/app.png: a real `floors app` session in headless Chromium, captured as the README shows it.

Starts the app on a free port of localhost, opens it in Debian's Chromium (Playwright, no browser
download), moves levers as a user would (Ecuador: the child benefit to half the poverty line for
every child under 18, then the same for poor children only), saves both what-ifs side by side,
and takes the screenshot. Needs the 'test' extra and /usr/bin/chromium.

    python scripts/app_screenshot.py                  # writes docs/img/app.png
    python scripts/app_screenshot.py -o /tmp/app.png
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from floors.app import Session, listen

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 120_000


def set_lever(page: Page, path: str, text: str) -> None:
    field = page.locator("[id='" + json.dumps({"path": path, "type": "lever"}, separators=(",", ":")) + "']")
    field.fill(text)
    field.press("Enter")
    page.wait_for_function("t => document.querySelector('#status').innerText.includes(t)", arg=f"{path}={text}")


def choose(page: Page, path: str, option: str) -> None:
    page.click("[id='" + json.dumps({"path": path, "type": "lever"}, separators=(",", ":")) + "']")
    page.get_by_role("option", name=option).click()
    page.wait_for_function("t => document.querySelector('#status').innerText.includes(t)", arg=f"{path}={option}")


def save(page: Page, title: str, rows: int) -> None:
    page.fill("#title", title)
    page.click("#save")
    page.wait_for_function("n => document.querySelectorAll('#saved-table tbody tr').length == n", arg=rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=Path(__file__).parents[1] / "docs" / "img" / "app.png")
    args = parser.parse_args()

    server = listen(Session(), "ECU", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS, viewport={"width": 1600, "height": 1250})
        page = browser.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.wait_for_selector("#table-cost_share_gdp")
        set_lever(page, "children.level", "0.5")
        set_lever(page, "children.age_max", "17")
        save(page, "Half the line, every child", 1)
        choose(page, "children.targeting", "poverty_targeted")
        save(page, "The same, for poor children", 2)
        page.mouse.move(0, 0)  # no hover label over the charts
        page.screenshot(path=str(args.out))
        browser.close()
    server.shutdown()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
