"""The explorer page in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by selenium) opens it from ``file://`` with no network, and every
step, by keyboard, buttons and slider, highlights the engine's node and shows its gradient.

Skipped, saying why, when Chromium, its driver or selenium is absent; CI installs them (see
the README) and sets AUTOGRAD_LITE_REQUIRE_BROWSER=1, which turns that skip into a failure.
Run as a script, this module remakes the README's screenshot:
``python tests/test_explorer_browser.py docs/images/explorer.png``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from explorer_graphs import readme_loss, reused_loss

import autograd_lite as al
from autograd_lite.explorer.page import asset

SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "images" / "explorer.png"
SCREENSHOT_KEY = "autograd-lite-page-sha256"  # the PNG's text chunk: which page it shows


def start_browser():
    """Headless Chromium under selenium, or the reason it cannot start."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None, "selenium is not installed (pip install selenium)"
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if binary is None or driver is None:
        return None, "Chromium or its driver is absent (apt-get install chromium chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,900", "--hide-scrollbars"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options), None


@pytest.fixture(scope="module")
def browser():
    driver, why = start_browser()
    if driver is None:
        if os.environ.get("AUTOGRAD_LITE_REQUIRE_BROWSER"):
            pytest.fail(f"the browser tests must run here, but {why}")
        pytest.skip(why)
    yield driver
    driver.quit()


def open_page(browser, page, tmp_path, name="page.html"):
    path = page.save(tmp_path / name)
    browser.get(path.as_uri())
    browser.get_log("browser")  # start each page with an empty log
    assert browser.execute_script("return window.autogradLite.current") == 0
    return path


def shown(browser):
    """What the page shows now: the step's index, the highlighted nodes and edges, and the
    first gradient in the panel (the gradient in, for a backward step)."""
    from selenium.webdriver.common.by import By

    nodes = {
        e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, "g.node.al-current")
    }
    edges = {
        e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, "g.edge.al-flow")
    }
    grads = browser.find_elements(By.CSS_SELECTOR, "#al-panel .al-grad .al-value")
    counter = browser.find_element(By.ID, "al-counter").text
    current = browser.execute_script("return window.autogradLite.current")
    return current, nodes, edges, grads[0].text if grads else None, counter


def expected(page, i):
    step = page.steps[i]
    grad = step["grad"]["text"] if step["phase"] == "backward" else None
    counter = f"step {i + 1} of {len(page.steps)} · {step['phase']}"
    return i, {step["id"], step["op_id"]} - {None}, set(step["edges"]), grad, counter


def no_errors(browser):
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


@pytest.mark.parametrize("make", [readme_loss, reused_loss])
def test_every_step_by_the_keyboard_shows_the_engines_node_and_gradient(browser, tmp_path, make):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = al.explore(make()[0])
    open_page(browser, page, tmp_path)
    body = browser.find_element(By.TAG_NAME, "body")
    backward = [s for s in page.steps if s["phase"] == "backward"]
    assert [s["grad"]["text"] for s in backward] == [
        s["grad_in"] for s in al.trace_backward(make()[0]).steps
    ]
    for i in range(len(page.steps)):
        assert shown(browser) == expected(page, i)
        body.send_keys(Keys.ARROW_RIGHT)
    assert shown(browser)[0] == len(page.steps) - 1  # Right at the last step stays there
    body.send_keys(Keys.HOME)
    assert shown(browser) == expected(page, 0)
    body.send_keys(Keys.END)
    assert shown(browser) == expected(page, len(page.steps) - 1)
    body.send_keys(Keys.ARROW_LEFT)
    assert shown(browser) == expected(page, len(page.steps) - 2)
    no_errors(browser)


def test_every_step_by_the_buttons_and_the_slider(browser, tmp_path):
    from selenium.webdriver.common.by import By

    page = al.explore(readme_loss()[0])
    open_page(browser, page, tmp_path)
    click = {
        name: browser.find_element(By.ID, f"al-{name}")
        for name in ("first", "prev", "next", "last")
    }
    for i in range(len(page.steps)):
        assert shown(browser) == expected(page, i)
        click["next"].click()
    for i in reversed(range(len(page.steps))):
        assert shown(browser) == expected(page, i)
        click["prev"].click()
    click["last"].click()
    assert shown(browser) == expected(page, len(page.steps) - 1)
    click["first"].click()
    assert shown(browser) == expected(page, 0)
    slider = browser.find_element(By.ID, "al-slider")
    browser.execute_script(
        "arguments[0].value = 5; arguments[0].dispatchEvent(new Event('input'))", slider
    )
    assert shown(browser) == expected(page, 5)
    no_errors(browser)


def test_the_script_api_goes_and_steps(browser, tmp_path):
    page = al.explore(readme_loss()[0])
    open_page(browser, page, tmp_path)
    run = browser.execute_script
    assert run("return window.autogradLite.go(3)") == 3
    assert run("return window.autogradLite.step()") == 4
    assert run("return window.autogradLite.step(-2)") == 2
    assert run("return window.autogradLite.go(10000)") == len(page.steps) - 1
    steps = run("return window.autogradLite.steps")
    assert [(s["id"], s["name"], s["phase"]) for s in steps] == [
        (s["id"], s["name"], s["phase"]) for s in page.steps
    ]
    assert [s["gradient"] for s in steps if s["phase"] == "backward"] == [
        s["grad"]["text"] for s in page.steps if s["phase"] == "backward"
    ]
    no_errors(browser)


def test_the_jacobian_and_the_questions_rule_open_beside_the_softmax_rule(browser, tmp_path):
    from selenium.webdriver.common.by import By

    page = al.explore(readme_loss()[0])
    open_page(browser, page, tmp_path)
    i = next(k for k, s in enumerate(page.steps) if s["phase"] == "backward" and s["softmax"])
    browser.execute_script(f"window.autogradLite.go({i})")
    toggles = {b.text: b for b in browser.find_elements(By.CSS_SELECTOR, ".al-toggle-button")}
    assert set(toggles) == {"local Jacobian", "the question's hand-written rule"}
    toggles["local Jacobian"].click()
    rows = browser.find_elements(By.CSS_SELECTOR, ".al-toggle-body:not([hidden]) .al-matrix tr")
    assert len(rows) == 3  # d softmax / d z for 3 classes
    toggles["the question's hand-written rule"].click()
    side = browser.find_element(By.CSS_SELECTOR, ".al-side").text
    story = page.steps[i]["softmax"]
    assert story["rule"] in side and story["asked_sent"] in side
    no_errors(browser)


def test_a_screenshot_of_the_page_is_not_blank(browser, tmp_path):
    from PIL import Image

    page = al.explore(readme_loss()[0])
    open_page(browser, page, tmp_path)
    browser.execute_script("window.autogradLite.go(9)")
    path = tmp_path / "page.png"
    assert browser.save_screenshot(str(path))
    image = np.asarray(Image.open(path).convert("RGB"))
    assert image.shape[0] > 400 and image.shape[1] > 800
    colours = np.unique(image.reshape(-1, 3), axis=0)
    assert len(colours) > 50  # text, boxes, highlight, heat strip: not one flat colour
    assert (image.min(axis=2) < 128).mean() > 0.005  # some dark pixels: text is drawn
    no_errors(browser)


def test_the_readme_screenshot_shows_the_page_as_it_is_now():
    from PIL import Image

    recorded = Image.open(SCREENSHOT).text.get(SCREENSHOT_KEY)
    now = page_digest(al.explore(readme_loss()[0], title="-log(softmax(W @ x + b)[0])"))
    assert recorded == now, (
        "docs/images/explorer.png is out of date; make it again with: "
        "python tests/test_explorer_browser.py docs/images/explorer.png"
    )


def page_digest(page):
    """What the screenshot depends on: the steps, the script and stylesheet, the picture's
    labels (not Graphviz's coordinates, which vary between its versions)."""
    parts = [json.dumps(page.steps, sort_keys=True), asset("explorer.js"), asset("explorer.css")]
    parts += [node.label() for node in page.records.nodes]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def make_screenshot(path: Path) -> None:
    """The README's screenshot: the softmax step of the README's example with the question's
    rule open, the page's digest written into the PNG, so that a test can tell it is current."""
    import tempfile

    from PIL import Image, PngImagePlugin
    from selenium.webdriver.common.by import By

    driver, why = start_browser()
    if driver is None:
        raise SystemExit(why)
    page = al.explore(readme_loss()[0], title="-log(softmax(W @ x + b)[0])")
    driver.set_window_size(1400, 1100)
    with tempfile.TemporaryDirectory() as folder:
        driver.get(page.save(Path(folder) / "page.html").as_uri())
        i = next(k for k, s in enumerate(page.steps) if s["phase"] == "backward" and s["softmax"])
        driver.execute_script(f"window.autogradLite.go({i})")
        for button in driver.find_elements(By.CSS_SELECTOR, ".al-toggle-button"):
            button.click()
        shot = Path(folder) / "shot.png"
        driver.save_screenshot(str(shot))
        driver.quit()
        info = PngImagePlugin.PngInfo()
        info.add_text(SCREENSHOT_KEY, page_digest(page))
        Image.open(shot).save(path, pnginfo=info, optimize=True)


if __name__ == "__main__":
    make_screenshot(Path(sys.argv[1]) if len(sys.argv) > 1 else SCREENSHOT)
