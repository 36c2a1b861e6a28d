"""The Playground in a real browser: clicking and typing a start point, the URL round-trip,
hostile URLs, divergence, keyboard and touch operation, instant navigation and axe.

Uses the session fixtures of tests/browser/conftest.py (the site built once and served on
127.0.0.1, a page factory that records console errors and off-host requests).
"""
from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from tests.browser.conftest import AXE, SUBPATH

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "docs" / "javascripts" / "playground" / "engine.js"
RENDERED = "#rc-playground[data-rc-state='rendered']"
# playground.css linked once and applied (.rc-playground's margin is 1em 0 2em), and the
# Playground visible (the loader hides it while it links the sheet after an instant navigation).
STYLED = """() => {
  const root = document.getElementById('rc-playground');
  const style = getComputedStyle(root);
  return {sheets: [...document.querySelectorAll('link[rel=stylesheet]')].filter(l => l.href.endsWith('/playground.css')).length,
          margin: parseFloat(style.marginBottom) === 2 * parseFloat(style.fontSize), visible: style.visibility === 'visible'};
}"""
TRACE_NAMES = "() => document.getElementById('rc-pg-contour').data.filter(t => t.mode === 'lines+markers').map(t => t.name)"


def draw_playground(page, timeout: float = 20000):
    """Wait until the Playground's plots are drawn. A bare address shows the build's pictures of
    the default state until the reader's first interaction (test_playground_static.py): the
    pointer entering the contour draws them (a pointerenter, which scrolls nothing)."""
    page.wait_for_selector("#rc-playground[data-rc-state]", state="attached", timeout=timeout)
    if page.get_attribute("#rc-playground", "data-rc-state") == "static":
        page.dispatch_event("#rc-pg-contour-wrap", "pointerenter")
    page.wait_for_selector(RENDERED, state="attached", timeout=timeout)


def open_playground(new_page, url, **kwargs):
    rec = new_page(**kwargs)
    response = rec.page.goto(url, wait_until="load")
    assert response is not None and response.ok
    draw_playground(rec.page)
    return rec


def query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query, keep_blank_values=True).items()}


def engine_run(surface, method, params, start, steps):
    """The engine's own answer, under Node, to compare with what the page shows."""
    script = (f"const e = require({json.dumps(str(ENGINE))});"
              f"const r = e.run(e.surface({json.dumps(surface)}), {json.dumps(method)}, {json.dumps(params)},"
              f" {json.dumps(start)}, {steps}); process.stdout.write(JSON.stringify(r));")
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


def test_clicking_the_contour_sets_the_start_and_the_url(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/")
    page = rec.page
    assert urlsplit(page.url).query == ""              # a bare address stays bare until a change
    assert "start=-3.5,1.5" in page.input_value("#rc-pg-link")   # but the link box is complete
    page.locator("#rc-pg-contour-wrap").scroll_into_view_if_needed()
    box = page.locator("#rc-pg-contour .nsewdrag").bounding_box()
    # The bowl's view is x in [-4, 4], y in [-2, 2]: a click at 3/4 width, 1/4 height is (2, 1).
    page.mouse.click(box["x"] + 0.75 * box["width"], box["y"] + 0.25 * box["height"])
    page.wait_for_function("() => new URLSearchParams(location.search).has('start')")
    x, y = (float(v) for v in query(page)["start"].split(","))
    assert abs(x - 2.0) < 0.05 and abs(y - 1.0) < 0.05
    assert float(page.input_value("#rc-pg-x")) == x and float(page.input_value("#rc-pg-y")) == y
    # Every trajectory now starts there.
    firsts = page.evaluate("() => document.getElementById('rc-pg-contour').data"
                           ".filter(t => t.mode === 'lines+markers').map(t => [t.x[0], t.y[0]])")
    assert firsts and all(f == [x, y] for f in firsts)
    rec.check_clean()


def test_typed_coordinates_set_the_start(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/")
    page = rec.page
    page.fill("#rc-pg-x", "1.25")
    page.press("#rc-pg-x", "Tab")
    page.fill("#rc-pg-y", "-0.5")
    page.press("#rc-pg-y", "Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('start') === '1.25,-0.5'")
    first_row = page.locator("#rc-pg-table tbody tr").first
    assert first_row.locator("td").first.inner_text() == "(1.25, -0.5)"
    # A typed value that is not a number is refused, visibly, and the start is kept.
    page.fill("#rc-pg-x", "two")
    page.press("#rc-pg-x", "Tab")
    assert "not a number" in page.inner_text("#rc-pg-status")
    assert page.get_attribute("#rc-pg-x", "aria-invalid") == "true"
    assert page.input_value("#rc-pg-x") == "1.25"
    assert query(page)["start"] == "1.25,-0.5"
    rec.check_clean()


def test_url_round_trip(server, new_page):
    root_url, _ = server
    settings = ("fn=rotated&angle=30&start=-2.5,1.25&steps=80&methods=gd,rmsprop,adam&lr.gd=0.02"
                "&lr.rmsprop=0.03&decay.rmsprop=0.99&eps.rmsprop=1e-7&epsmode.rmsprop=inside"
                "&init.rmsprop=1&bias.rmsprop=1&lr.adam=0.1&b1.adam=0.8&b2.adam=0.99&eps.adam=1e-8"
                "&bias.adam=0&t=7")
    rec = open_playground(new_page, root_url + "playground/?" + settings)
    page = rec.page
    # The page writes back exactly what it read (nothing lost, nothing added).
    assert urlsplit(page.url).query == settings
    assert page.input_value("#rc-pg-fn") == "rotated"
    assert page.input_value("#rc-pg-angle") == "30"
    assert page.input_value("#rc-pg-steps") == "80"
    assert page.input_value("#rc-pg-decay-rmsprop") == "0.99"
    assert page.input_value("#rc-pg-epsmode-rmsprop") == "inside"
    assert page.input_value("#rc-pg-init-rmsprop") == "1"
    assert page.is_checked("#rc-pg-bias-rmsprop") and not page.is_checked("#rc-pg-bias-adam")
    assert page.is_checked("#rc-pg-on-gd") and not page.is_checked("#rc-pg-on-momentum")
    assert page.evaluate(TRACE_NAMES) == ["GD", "RMSprop", "Adam"]
    assert page.input_value("#rc-pg-step") == "7"
    # The RMSprop trace is the engine's trajectory for those settings.
    params = {"lr": 0.03, "decay": 0.99, "eps": 1e-7, "epsmode": "inside", "init": 1, "bias": True}
    ref = page.evaluate(
        "(p) => rcEngine.run(rcEngine.surface('rotated', {angle: 30 * Math.PI / 180}), 'rmsprop', p, [-2.5, 1.25], 80).positions",
        params)
    shown = page.evaluate("() => { const t = document.getElementById('rc-pg-contour').data"
                          ".find(t => t.name === 'RMSprop'); return t.x.map((x, i) => [x, t.y[i]]); }")
    assert len(shown) == 81 and all(math.isclose(a, b) for p, q in zip(shown, ref) for a, b in zip(p, q))
    rec.check_clean()


def test_kappa_sets_the_bowls_condition_number(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?fn=bowl&kappa=1000")
    page = rec.page
    # The plot is drawn, the form shows kappa, and the link keeps it (a bare ?kappa=20 would not).
    assert page.evaluate(TRACE_NAMES) == ["GD", "Momentum", "RMSprop"]
    kappa = page.locator("#rc-pg-kappa")
    assert kappa.is_visible() and kappa.input_value() == "1000"
    assert page.inner_text("label[for='rc-pg-kappa']") == "Condition number \u03ba (1 to 10\u00a0000)"
    assert urlsplit(page.url).query.startswith("fn=bowl&kappa=1000&start=-3.5,1.5&")
    assert page.inner_text("#rc-pg-status").strip() == ""
    # The RMSprop trace is the engine's on the bowl with eigenvalues 1 and 1000.
    ref = page.evaluate("() => rcEngine.run(rcEngine.surface('bowl', {kappa: 1000}), 'rmsprop',"
                        " rcQuery.engineParams(rcQuery.parse(location.search).settings, 'rmsprop'), [-3.5, 1.5], 150).positions")
    shown = page.evaluate("() => { const t = document.getElementById('rc-pg-contour').data"
                          ".find(t => t.name === 'RMSprop'); return t.x.map((x, i) => [x, t.y[i]]); }")
    assert shown == ref[:len(shown)] and len(shown) == 151
    # The steep valley gets a finer contour grid than the course bowl's 121 points.
    assert page.evaluate("() => document.getElementById('rc-pg-contour').data[0].x.length") > 121
    # Keyboard: from the surface menu, Tab reaches the kappa field (the hidden angle is skipped).
    page.focus("#rc-pg-fn")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "rc-pg-kappa"
    page.keyboard.press("Control+A")
    page.keyboard.type("2.5")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('kappa') === '2.5'")
    # Typed values are validated as the angle's are: refused with a message, or clamped.
    page.fill("#rc-pg-kappa", "steep")
    page.press("#rc-pg-kappa", "Tab")
    assert "not a number" in page.inner_text("#rc-pg-status")
    assert kappa.get_attribute("aria-invalid") == "true" and kappa.input_value() == "2.5"
    assert query(page)["kappa"] == "2.5"
    page.fill("#rc-pg-kappa", "1e6")
    page.press("#rc-pg-kappa", "Tab")
    assert "clamped to 10000" in page.inner_text("#rc-pg-status")
    assert kappa.get_attribute("aria-invalid") is None and kappa.input_value() == "10000"
    page.wait_for_function("() => new URLSearchParams(location.search).get('kappa') === '10000'")
    # Back to 20: the link is the course bowl's again, with no kappa in it.
    page.fill("#rc-pg-kappa", "20")
    page.press("#rc-pg-kappa", "Tab")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('kappa')")
    # The rotated bowl has the field too; the other surfaces do not.
    page.select_option("#rc-pg-fn", "rotated")
    assert kappa.is_visible() and page.locator("#rc-pg-angle").is_visible()
    page.select_option("#rc-pg-fn", "saddle")
    assert not kappa.is_visible()
    rec.check_clean()


HOSTILE = [
    "fn=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E&lr.gd=abc&steps=1e9",
    "start=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E&methods=gd,%3Csvg%20onload%3Dalert(1)%3E",
    "lr.rmsprop=-5&decay.rmsprop=7&eps.adam=Infinity&epsmode.rmsprop=%22%3E%3Cb%3Ex&t=-3&angle=NaN",
    "noise=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E&seed=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
]


@pytest.mark.parametrize("bad", HOSTILE)
def test_bad_urls_show_a_message_and_inject_nothing(server, new_page, bad):
    root_url, _ = server
    rec = new_page()
    dialogs = []
    rec.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    rec.page.goto(root_url + "playground/?" + bad, wait_until="load")
    page = rec.page
    draw_playground(page)
    status = page.locator("#rc-pg-status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.is_visible() and status.inner_text().strip()
    injected = page.evaluate("""() => ({
        pwned: window.__pwned === 1,
        elements: document.querySelectorAll('#rc-playground script, #rc-playground img, #rc-playground svg[onload], #rc-playground b').length,
        handlers: [...document.querySelectorAll('#rc-playground *')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length
    })""")
    assert injected == {"pwned": False, "elements": 0, "handlers": 0}
    assert dialogs == []
    # The page still works: corrected values are in the controls and the URL.
    q = query(page)
    assert q["fn"] in {"bowl", "rotated", "rosenbrock", "beale", "saddle", "two-wells"}
    assert 1 <= int(q["steps"]) <= 2000
    assert page.evaluate(TRACE_NAMES)
    rec.check_clean()


NOISE_TRACE = """(name) => { const t = document.getElementById('rc-pg-contour').data.find(t => t.name === name);
    return t.x.map((x, i) => [x, t.y[i]]); }"""


def test_noise_controls_url_and_new_noise(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?noise=0.5&seed=3")
    page = rec.page
    noise, seed = page.locator("#rc-pg-noise"), page.locator("#rc-pg-seed")
    assert noise.is_visible() and noise.input_value() == "0.5"
    assert seed.is_visible() and seed.input_value() == "3"
    assert page.inner_text("label[for='rc-pg-noise']") == "Noise \u03c3 (0 = off, up to 100)"
    assert page.inner_text("label[for='rc-pg-seed']") == "Seed (0 to 4\u00a0294\u00a0967\u00a0295)"
    assert page.inner_text("#rc-pg-status").strip() == ""
    # The URL keeps both (in full, corrected, as for every given query), and reads back to itself.
    q = query(page)
    assert q["noise"] == "0.5" and q["seed"] == "3"
    again = open_playground(new_page, page.url)
    assert again.page.url == page.url and again.page.input_value("#rc-pg-seed") == "3"
    # The contour shows the engine's noisy paths; the loss plot the noise-free f at their iterates.
    run = ("(noise) => rcEngine.run(rcEngine.surface('bowl'), 'rmsprop', rcQuery.engineParams("
           "rcQuery.parse(location.search).settings, 'rmsprop'), [-3.5, 1.5], 150, {noise: noise})")
    noisy = page.evaluate(run, {"sigma": 0.5, "seed": 3})
    plain = page.evaluate(run, None)
    shown = page.evaluate(NOISE_TRACE, "RMSprop")
    assert shown == noisy["positions"] and shown != plain["positions"]
    loss = page.evaluate("() => document.getElementById('rc-pg-loss').data.find(t => t.name === 'RMSprop').y")
    f = page.evaluate("(ps) => ps.map(p => rcEngine.surface('bowl').value(p))", noisy["positions"])
    assert loss == [max(v, 1e-16) for v in f]
    assert "\u03c3z" in page.inner_text("#rc-pg-table thead")
    # New noise: another seed, in the field and the URL, and the paths are redrawn with it.
    page.click("#rc-pg-new-noise")
    page.wait_for_function("() => new URLSearchParams(location.search).get('seed') !== '3'")
    drawn = int(query(page)["seed"])
    assert 0 <= drawn < 2**32 and seed.input_value() == str(drawn) and query(page)["noise"] == "0.5"
    assert f"seed {drawn}" in page.inner_text("#rc-pg-status")
    redrawn = page.evaluate(NOISE_TRACE, "RMSprop")
    assert redrawn != shown and redrawn == page.evaluate(run, {"sigma": 0.5, "seed": drawn})["positions"]
    # By keyboard: Tab goes noise -> seed -> New noise, and Enter on the button draws again.
    page.focus("#rc-pg-noise")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "rc-pg-seed"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "rc-pg-new-noise"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('seed') !== '{drawn}'")
    # Typed values: a seed that is not a whole number in range is refused visibly; sigma is
    # clamped, and 0 turns the noise off (the link loses both keys with the default seed).
    kept = seed.input_value()
    page.fill("#rc-pg-seed", "1e20")
    page.press("#rc-pg-seed", "Tab")
    assert "is not a whole number from 0 to 4294967295" in page.inner_text("#rc-pg-status")
    assert seed.get_attribute("aria-invalid") == "true" and seed.input_value() == kept
    assert query(page)["seed"] == kept
    page.fill("#rc-pg-seed", "0")
    page.press("#rc-pg-seed", "Tab")
    page.wait_for_function("() => new URLSearchParams(location.search).get('seed') === '0'")
    page.fill("#rc-pg-noise", "-1")
    page.press("#rc-pg-noise", "Tab")
    assert "clamped to 0" in page.inner_text("#rc-pg-status")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('noise')")
    assert "seed" not in query(page)
    assert page.evaluate(NOISE_TRACE, "RMSprop") == plain["positions"]
    rec.check_clean()


@pytest.mark.parametrize("bad, key", [("noise=-1", "noise"), ("noise=abc", "noise"), ("seed=1e20", "seed")])
def test_bad_noise_or_seed_shows_a_message(server, new_page, bad, key):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?" + bad)
    page = rec.page
    status = page.locator("#rc-pg-status")
    assert status.is_visible() and status.inner_text().startswith(key + ": ")
    assert "rc-pg__status--warn" in status.get_attribute("class")
    # Corrected to the defaults (no noise, seed 0), so neither key stays in the link.
    q = query(page)
    assert "noise" not in q and "seed" not in q
    assert page.input_value("#rc-pg-noise") == "0" and page.input_value("#rc-pg-seed") == "0"
    assert page.evaluate(TRACE_NAMES) == ["GD", "Momentum", "RMSprop"]
    rec.check_clean()


def test_bad_url_values_are_clamped_or_kept(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?lr.gd=abc&steps=99999&decay.rmsprop=1.5&start=9,9")
    page = rec.page
    text = page.inner_text("#rc-pg-status")
    assert "lr.gd" in text and "steps" in text and "decay.rmsprop" in text and "start" in text
    q = query(page)
    assert q["lr.gd"] == "0.0952" and q["steps"] == "2000" and q["decay.rmsprop"] == "0.9999"
    assert q["start"] == "4,2"
    rec.check_clean()


def test_a_diverging_method_is_shown_as_diverged(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?fn=bowl&start=-3.5,1.5&steps=150&methods=gd,rmsprop&lr.gd=0.2")
    page = rec.page
    ref = engine_run("bowl", "gd", {"lr": 0.2}, [-3.5, 1.5], 150)
    assert ref["diverged"]
    item = page.locator("#rc-pg-summary li[data-method='gd']")
    assert item.get_attribute("data-diverged-at") == str(ref["divergedAt"])
    assert f"diverged at step {ref['divergedAt']}" in item.inner_text()
    assert page.locator("#rc-pg-summary li[data-method='rmsprop']").get_attribute("data-diverged-at") is None
    marker = page.evaluate("() => document.getElementById('rc-pg-contour').data.filter(t => t.name === 'GD diverged').map(t => t.text[0])")
    assert marker == [f"GD diverged at step {ref['divergedAt']}"]
    # After it left, the table says so instead of showing numbers.
    page.focus("#rc-pg-step")
    page.keyboard.press("End")
    assert f"diverged at step {ref['divergedAt']}" in page.locator("#rc-pg-table tr[data-method='gd']").inner_text()
    rec.check_clean()


def test_play_speed_is_in_the_link(server, new_page):
    """speed= sets Play's steps per second and is written back once chosen (not at the default);
    a value the menu does not offer is reported as text and the default kept."""
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?methods=gd&steps=60")
    page = rec.page
    choices = page.evaluate("() => window.rcQuery.SPEED.choices")
    default = page.evaluate("() => window.rcQuery.SPEED.fallback")
    assert page.eval_on_selector_all("#rc-pg-speed option", "os => os.map(o => Number(o.value))") == choices
    assert page.input_value("#rc-pg-speed") == str(default)
    assert "speed" not in page.input_value("#rc-pg-link")
    fastest = max(choices)
    page.select_option("#rc-pg-speed", str(fastest))
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('speed') === '{fastest}'")
    assert f"speed={fastest}" in page.input_value("#rc-pg-link")
    # The link brings the speed back, and Play runs at it: 60 steps at the fastest speed take
    # half a second of clock (slow frames skip steps), at the default four.
    rec.page.goto(page.url, wait_until="load")
    draw_playground(page)
    assert page.input_value("#rc-pg-speed") == str(fastest)
    page.click("#rc-pg-play")
    page.wait_for_function("() => document.getElementById('rc-playground').getAttribute('data-rc-playing') === 'false'"
                           " && document.getElementById('rc-pg-step').value === '60'", timeout=60 / default * 1000 * 0.75)
    # Reset keeps the speed (a way of watching, not a setting of the run).
    page.click("#rc-pg-reset")
    assert page.input_value("#rc-pg-speed") == str(fastest)
    assert query(page).get("speed") == str(fastest)
    for bad in ("7", "%3Cb%3Efast%3C%2Fb%3E"):
        rec.page.goto(root_url + "playground/?speed=" + bad, wait_until="load")
        draw_playground(page)
        shown = "7" if bad == "7" else "<b>fast</b>"
        status = page.inner_text("#rc-pg-status")
        assert f'speed: "{shown}" must be one of {", ".join(map(str, choices))}' in status, status
        assert page.locator("#rc-pg-status b").count() == 0
        assert page.input_value("#rc-pg-speed") == str(default)
        assert "speed" not in query(page)
    rec.check_clean()


def test_keyboard_step_through(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?methods=gd,rmsprop&steps=50")
    page = rec.page
    page.focus("#rc-pg-contour-wrap")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.inner_text("#rc-pg-step-out") == "3 of 50"
    assert query(page)["t"] == "3"
    assert "At step 3" in page.inner_text("#rc-pg-table caption")
    # Two arrows at step 3 per method: -g and the update.
    assert page.evaluate("() => document.getElementById('rc-pg-contour').layout.annotations.length") == 4
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("#rc-pg-step-out") == "2 of 50"
    # The slider works by keyboard too; the table's numbers are the engine's at that step.
    page.focus("#rc-pg-step")
    page.keyboard.press("End")
    assert page.inner_text("#rc-pg-step-out") == "50 of 50"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    ref = engine_run("bowl", "gd", {"lr": 0.0952}, [-3.5, 1.5], 50)   # the default: the lecture α
    step = ref["updates"][1]
    length = (step[0] ** 2 + step[1] ** 2) ** 0.5
    cells = page.locator("#rc-pg-table tr[data-method='gd'] td").all_inner_texts()
    assert float(cells[5]) == pytest.approx(length, rel=1e-3)
    # Tab reaches every control of the form (no control is skipped by the keyboard).
    focusable = page.evaluate("""() => [...document.querySelectorAll('#rc-playground input, #rc-playground select, #rc-playground button')]
        .filter(e => e.offsetParent !== null && e.tabIndex >= 0).length""")
    assert focusable >= 15
    rec.check_clean()


def test_reset_and_tuned_rates(server, new_page):
    root_url, site_dir = server
    rec = open_playground(new_page, root_url + "playground/?fn=bowl&methods=sign&lr.sign=3")
    page = rec.page
    page.click("#rc-pg-tuned")
    page.wait_for_function("() => document.getElementById('rc-pg-status').textContent.includes('Tuned learning rates loaded')")
    tuned = json.loads((site_dir / "generated" / "data" / "playground-tuned.json").read_text())
    expected = tuned["surfaces"]["bowl"]["methods"]["sign"]["lr"]
    assert float(query(page)["lr.sign"]) == expected
    page.click("#rc-pg-reset")
    q = query(page)
    assert q["fn"] == "bowl" and q["methods"] == "gd,momentum,rmsprop" and q["start"] == "-3.5,1.5"
    assert page.evaluate(TRACE_NAMES) == ["GD", "Momentum", "RMSprop"]
    rec.check_clean()


def test_touch_on_a_phone_sized_screen(server, new_page):
    root_url, _ = server
    rec = new_page(width=375, height=740, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = rec.goto(root_url + "playground/")
    draw_playground(page)
    # Nothing overflows the phone's width.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    page.locator("#rc-pg-contour .nsewdrag").scroll_into_view_if_needed()
    box = page.locator("#rc-pg-contour .nsewdrag").bounding_box()
    # A phone shows the paths' box (zoom=fit): the tap lands at the middle of the shown ranges.
    (x0, x1), (y0, y1) = page.evaluate(
        "() => { const L = document.getElementById('rc-pg-contour').layout; return [L.xaxis.range, L.yaxis.range]; }")
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => new URLSearchParams(location.search).has('start')")
    x, y = (float(v) for v in query(page)["start"].split(","))
    assert abs(x - (x0 + x1) / 2) < 0.02 * (x1 - x0) and abs(y - (y0 + y1) / 2) < 0.02 * (y1 - y0)
    rec.check_clean()


def test_instant_navigation_initialises_the_playground(server, new_page):
    root_url, _ = server
    rec = new_page()
    page = rec.page
    page.goto(root_url, wait_until="load")
    page.evaluate("() => { window.__samePage = true; }")
    page.click("nav a[href$='playground/']")
    draw_playground(page)
    assert page.evaluate("() => window.__samePage === true"), "expected an instant (same-document) navigation"
    assert page.evaluate(TRACE_NAMES) == ["GD", "Momentum", "RMSprop"]
    # The home page does not link playground.css; the loader did, before the Playground showed:
    # its layout rules apply (a bottom margin of 2em, none without the sheet) and it is visible.
    assert page.evaluate(STYLED) == {"sheets": 1, "margin": True, "visible": True}
    # And again after leaving and coming back: a fresh root is set up, the old one is gone.
    page.go_back()
    page.wait_for_function("() => !document.getElementById('rc-playground')")
    page.go_forward()
    draw_playground(page)
    assert page.locator("#rc-playground .rc-pg__controls").count() == 1
    rec.check_clean()


def test_only_the_playground_page_fetches_the_playground_scripts(server, new_page):
    """javascripts/playground-loader.js: an essay page does not pay for the Playground's seven
    scripts, nor for its style sheet (a render-blocking request); the Playground's page gets all
    of them (and the Playground starts)."""
    root_url, _ = server
    for path, wanted in (("", False), ("favourable-starts/", False), ("reference/objectives/", False),
                         ("playground/", True)):
        rec = new_page()
        fetched, sheets = [], []
        rec.page.on("request", lambda r: ("/javascripts/playground/" in r.url or "playground-defaults.js" in r.url)
                    and fetched.append(r.url))
        rec.page.on("request", lambda r: r.url.endswith("/playground.css") and sheets.append(r.url))
        rec.page.goto(root_url + path, wait_until="load")
        rec.page.wait_for_timeout(500)
        if wanted:
            draw_playground(rec.page)
            assert len(fetched) == 7, fetched
            assert len(sheets) == 1, sheets
            assert rec.page.evaluate(STYLED) == {"sheets": 1, "margin": True, "visible": True}
        else:
            assert fetched == [], f"/{path} fetched {fetched}"
            assert sheets == [], f"/{path} fetched {sheets}"
        rec.check_clean()


def test_works_under_a_sub_path(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url.rstrip("/") + SUBPATH + "playground/?methods=adam")
    assert rec.page.evaluate(TRACE_NAMES) == ["Adam"]
    rec.page.click("#rc-pg-tuned")
    rec.page.wait_for_function("() => document.getElementById('rc-pg-status').textContent.includes('Tuned learning rates loaded')")
    rec.check_clean()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_rendered_playground(server, new_page, color_scheme):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?methods=gd,momentum,rmsprop,adam,ngd,sign&lr.gd=abc",
                          color_scheme=color_scheme)
    rec.page.add_script_tag(path=str(AXE))
    result = rec.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
                  for v in result["violations"]]
    assert violations == [], "\n".join(violations)
    rec.check_clean()


def _playground_links(site_dir: Path) -> list[tuple[str, str]]:
    """(page, href) of every link from an essay page into the Playground with settings."""
    import re
    links = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        if rel.startswith(("playground", "reference", "assets")):
            continue
        for href in re.findall(r'href="([^"]*playground/\?[^"]+)"', html.read_text(encoding="utf-8")):
            links.append(("" if rel == "." else rel + "/", href.replace("&amp;", "&")))
    return links


def test_every_try_it_link_loads_its_setting_without_correction(server, new_page):
    """Each explainer's "try it" links pre-load a setting: the Playground must accept every key
    and value as given (no clamping, no rejected value) and show the listed methods."""
    root_url, site_dir = server
    links = _playground_links(site_dir)
    pages = {page for page, _ in links}
    assert {"update-rules/", "scaling-vs-momentum/", "favourable-starts/", "magnitude-effect/"} <= pages
    rec = new_page()
    for page, href in links:
        url = urljoin(root_url + page, href)
        rec.page.goto(url, wait_until="load")
        draw_playground(rec.page)
        status = rec.page.locator("#rc-pg-status")
        warn = "rc-pg__status--warn" in (status.get_attribute("class") or "")
        assert not warn, f"{page}: {href} was corrected: {status.inner_text()}"
        wanted = parse_qs(urlsplit(url).query)["methods"][0].split(",")
        assert len(rec.page.evaluate(TRACE_NAMES)) == len(wanted), f"{page}: {href}"
    rec.check_clean()


def test_the_scenario_menu_loads_each_of_the_essays_scenarios(server, new_page):
    """The menu above the Playground: start A, start B, the tiny offset, the rotated bowl at
    RMSprop's worst angle and the simulator's two wells, each a link that loads its setting as
    given (no correction) with its surface and methods; two clicks (open, choose) get there."""
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/")
    links = rec.page.locator("details.rc-pg-scenarios a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    surfaces = [parse_qs(urlsplit(h).query)["fn"][0] for h in hrefs]
    assert surfaces == ["bowl", "bowl", "bowl", "rotated", "two-wells"], hrefs
    for i, href in enumerate(hrefs):
        rec.page.goto(root_url + "playground/", wait_until="load")
        draw_playground(rec.page)
        rec.page.locator("details.rc-pg-scenarios summary").click()   # folded until asked for
        rec.page.locator("details.rc-pg-scenarios a").nth(i).click()
        rec.page.wait_for_url("**/playground/?*fn=*")
        draw_playground(rec.page)
        status = rec.page.locator("#rc-pg-status")
        assert "rc-pg__status--warn" not in (status.get_attribute("class") or ""), f"{href}: {status.inner_text()}"
        wanted = parse_qs(urlsplit(href).query)
        assert query(rec.page)["fn"] == wanted["fn"][0]
        assert rec.page.locator("#rc-pg-fn").input_value() == wanted["fn"][0]
        assert len(rec.page.evaluate(TRACE_NAMES)) == len(wanted["methods"][0].split(","))
    rec.check_clean()


# ----- your own formula (fn=custom&f=...) --------------------------------------------------------

CUSTOM_TRACE = """(name) => { const t = document.getElementById('rc-pg-contour').data.find(t => t.name === name);
    return t.x.map((x, i) => [x, t.y[i]]); }"""


def core_trajectory(page, text, method, start, steps, view=None):
    """The core's positions for the page's settings of `method` on rc.objectives.formula(text)."""
    import numpy as np

    import rmsprop_core as rc
    from tests.playground.test_parity import python_optimizer

    params = page.evaluate(f"() => rcQuery.engineParams(rcQuery.parse(location.search).settings, {json.dumps(method)})")
    surface = rc.objectives.formula(text) if view is None else rc.objectives.formula(text, view)
    return rc.run(python_optimizer(method, params), surface, np.array(start, dtype=float), steps).positions[:, 0]


def test_your_own_formula_draws_the_cores_trajectories(server, new_page):
    import numpy as np

    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?fn=custom&f=x^2%2B10*y^2")
    page = rec.page
    assert page.inner_text("#rc-pg-status").strip() == ""
    assert page.input_value("#rc-pg-fn") == "custom"
    formula = page.locator("#rc-pg-f")
    assert formula.is_visible() and formula.input_value() == "x^2+10*y^2"
    assert page.inner_text("label[for='rc-pg-f']") == "Formula f(x, y)"
    assert "sin cos tan exp log sqrt abs tanh" in page.inner_text("#rc-pg-f-hint")
    assert page.input_value("#rc-pg-view") == "-4, 4, -4, 4"
    assert urlsplit(page.url).query.startswith("fn=custom&f=x%5E2%2B10*y%5E2&start=-3.5,1.5&steps=150&")
    # Every path is the core's rc.run(opt, rc.objectives.formula(f), x0, 150), to 1e-9.
    assert page.evaluate(TRACE_NAMES) == ["GD", "Momentum", "RMSprop"]
    for name, method in (("GD", "gd"), ("Momentum", "momentum"), ("RMSprop", "rmsprop")):
        shown = np.array(page.evaluate(CUSTOM_TRACE, name))
        core = core_trajectory(page, "x^2+10*y^2", method, [-3.5, 1.5], 150)
        assert shown.shape == core.shape and np.max(np.abs(shown - core)) <= 1e-9, name
    # The contour samples the formula over its view box; no minimum star; the loss is f itself.
    grid = page.evaluate("() => { const c = document.getElementById('rc-pg-contour').data[0]; return [c.x[0], c.x[c.x.length - 1], c.y[0], c.y[c.y.length - 1], c.z.length]; }")
    assert grid[:4] == [-4, 4, -4, 4] and grid[4] > 20
    assert page.evaluate("() => document.getElementById('rc-pg-contour').data[1].visible") is False
    assert page.evaluate("() => document.getElementById('rc-pg-loss').layout.yaxis.type") != "log"
    assert "f(x) = " in page.inner_text("#rc-pg-summary li[data-method='gd']")
    # Typing another formula (Enter) redraws it and puts it in the link.
    page.fill("#rc-pg-f", "(1 - x)^2 + 100*(y - x^2)^2")
    page.press("#rc-pg-f", "Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('f') === '(1 - x)^2 + 100*(y - x^2)^2'")
    shown = np.array(page.evaluate(CUSTOM_TRACE, "RMSprop"))
    core = core_trajectory(page, "(1 - x)^2 + 100*(y - x^2)^2", "rmsprop", [-3.5, 1.5], 150)
    assert np.max(np.abs(shown - core)) <= 1e-9
    # A formula that does not parse: the message beside the field, the field marked, the last
    # good surface kept (and the link with it).
    page.fill("#rc-pg-f", "2x + 1")
    page.press("#rc-pg-f", "Tab")
    message = page.inner_text("#rc-pg-f-msg")
    assert "at position 2" in message and "found the name \"x\"" in message
    assert page.get_attribute("#rc-pg-f-msg", "aria-live") == "polite"
    assert formula.get_attribute("aria-invalid") == "true" and formula.input_value() == "2x + 1"
    assert query(page)["f"] == "(1 - x)^2 + 100*(y - x^2)^2"
    # The view box: typed, checked, in the link, and the contour's grid spans it.
    page.fill("#rc-pg-view", "-2, 2, -1, 3")
    page.press("#rc-pg-view", "Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('view') === '-2,2,-1,3'")
    assert query(page)["start"] == "-2,1.5"          # moved into the new box
    page.wait_for_function("() => document.getElementById('rc-pg-contour').data[0].x[0] === -2")
    page.fill("#rc-pg-view", "1, 0, 0, 1")
    page.press("#rc-pg-view", "Enter")
    assert "needs xmin < xmax" in page.inner_text("#rc-pg-view-msg")
    assert query(page)["view"] == "-2,2,-1,3"
    # Keyboard: from the surface menu, Tab reaches the formula field, then its view box.
    page.focus("#rc-pg-fn")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "rc-pg-f"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "rc-pg-view"
    # Back to a built-in surface: the fields go, and the link loses f and view.
    page.select_option("#rc-pg-fn", "saddle")
    assert not formula.is_visible()
    assert "f" not in query(page) and "view" not in query(page)
    page.select_option("#rc-pg-fn", "custom")
    page.wait_for_function("() => new URLSearchParams(location.search).get('fn') === 'custom'")
    assert formula.input_value() == "(1 - x)^2 + 100*(y - x^2)^2"
    rec.check_clean()


def test_a_formula_undefined_in_part_of_its_box_draws_with_gaps(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?fn=custom&f=sqrt(x)%2Blog(y)%2Bmin(x,y)&start=2,2&methods=gd,sign")
    page = rec.page
    assert page.inner_text("#rc-pg-status").strip() == ""
    z = page.evaluate("() => document.getElementById('rc-pg-contour').data[0].z.flat()")
    assert None in z and any(v is not None for v in z)
    assert page.evaluate(TRACE_NAMES) == ["GD", "Sign descent"]
    rec.check_clean()


HOSTILE_FORMULAS = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "constructor",
    "__proto__",
    "constructor.constructor('alert(1)')()",
    "alert(1)",
    "x" * 10_000,
    "(" * 1000 + "x" + ")" * 1000,
    "(" * 100 + "x" + ")" * 100,
]


def _injected(page):
    return page.evaluate("""() => ({
        pwned: window.__pwned === 1,
        elements: document.querySelectorAll('#rc-playground script, #rc-playground img, #rc-playground svg[onload]').length,
        handlers: [...document.querySelectorAll('#rc-playground *')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length
    })""")


@pytest.mark.parametrize("bad", HOSTILE_FORMULAS, ids=lambda b: b[:24])
def test_hostile_formulas_in_the_link_show_a_message_and_nothing_else(server, new_page, bad):
    from urllib.parse import quote

    root_url, _ = server
    rec = new_page()
    dialogs = []
    rec.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    rec.page.goto(root_url + "playground/?fn=custom&f=" + quote(bad, safe=""), wait_until="load")
    page = rec.page
    draw_playground(page)
    text = page.inner_text("#rc-pg-status")
    assert text.startswith("f: ") and "showing the course bowl" in text
    assert "rc-pg__status--warn" in page.get_attribute("#rc-pg-status", "class")
    assert query(page)["fn"] == "bowl" and "f" not in query(page)     # a whole page, the default surface
    assert page.evaluate(TRACE_NAMES) == ["GD", "Momentum", "RMSprop"]
    assert _injected(page) == {"pwned": False, "elements": 0, "handlers": 0}
    assert dialogs == []
    rec.check_clean()


def test_hostile_formulas_typed_show_a_message_beside_the_field(server, new_page):
    root_url, _ = server
    rec = open_playground(new_page, root_url + "playground/?fn=custom&f=x*y")
    page = rec.page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    before = page.evaluate(CUSTOM_TRACE, "GD")
    for bad in HOSTILE_FORMULAS:
        page.fill("#rc-pg-f", bad)
        page.press("#rc-pg-f", "Enter")
        message = page.inner_text("#rc-pg-f-msg")
        assert message.startswith("Formula: ") and "still x*y" in message, bad[:30]
        assert page.get_attribute("#rc-pg-f", "aria-invalid") == "true"
        assert query(page)["f"] == "x*y"
    assert page.evaluate(CUSTOM_TRACE, "GD") == before
    assert _injected(page) == {"pwned": False, "elements": 0, "handlers": 0}
    assert dialogs == []
    rec.check_clean()
