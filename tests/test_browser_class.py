"""The class pages in a real browser (Debian's headless Chromium driven by Playwright).

Opens the gallery (the Michels III card: figure, prevalence from Michels 1966, teaching
notes), opens the seed case (Khassaf & Abed 2025) and reveals its answer, answers one quiz
question right and one wrong (checking the score and the explanation with its source),
answers from the keyboard, and asks for nothing outside the server. With
HEPATIC_SCREENSHOTS set, each page is kept at 1366x768 (desktop), 1024x768 (projector)
and 390x844 (phone). Chromium is required as in tests/test_browser.py.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from anatomy.teaching import builtin_pool
from anatomy.teaching.library import teaching_cases
from tests import test_browser as main_page  # skips or fails as it does without Chromium

CASES = len(teaching_cases())  # the built-in library

# The main page's fixtures: the app served on a free port, and Debian's Chromium.
server = main_page.server
browser = main_page.browser

SIZES = {"desktop": (1366, 768), "projector": (1024, 768), "phone": (390, 844)}
SEED_CASE = "khassaf-2025-rrha-sma-net-tace"


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A page that may only talk to the server; script errors and outside requests fail."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    outside: list[str] = []
    here = urlsplit(server).netloc

    def only_here(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == here or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_here)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    assert not outside, f"the page asked for outside resources: {outside}"
    assert not errors, f"script errors on the page: {errors}"
    context.close()


def keep_sizes(page: Page, name: str, tmp_path: Path) -> None:
    """Screenshots at the three sizes; copied to $HEPATIC_SCREENSHOTS when it is set."""
    folder = os.environ.get("HEPATIC_SCREENSHOTS")
    if not folder:
        return
    original = page.viewport_size
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)  # layout and lazy images
        shot = tmp_path / f"class-{name}-{size}.png"
        page.screenshot(path=str(shot), full_page=True)
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / shot.name)
    if original:
        page.set_viewport_size(original)


def loaded(page: Page, selector: str) -> None:
    """The image has arrived (its natural width is known)."""
    image = page.locator(selector).first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def test_the_gallery_shows_each_type_with_figure_prevalence_and_notes(
    page: Page,
    server: str,
    tmp_path: Path,
) -> None:
    page.goto(server + "/class/gallery")
    card = page.locator("#michels-iii")
    expect(card.get_by_role("heading", level=2)).to_have_text(
        "Michels IIIReplaced right hepatic artery from the SMA"
    )
    loaded(page, "#michels-iii img")
    expect(card.locator("table.rows tbody tr").first).to_contain_text("22/200")
    expect(card.locator("table.rows")).to_contain_text("Michels NA")
    expect(card.get_by_role("list").first).to_contain_text("does not fill on a celiac run")
    expect(page.locator("#status")).to_have_text("Showing 20 of 20.")
    keep_sizes(page, "gallery", tmp_path)
    page.get_by_role("radio", name="Outside Michels").check()
    expect(card).to_be_hidden()
    expect(page.locator("#rha-from-gda")).to_be_visible()


def test_a_case_opens_and_reveals_its_answer(
    page: Page,
    server: str,
    tmp_path: Path,
) -> None:
    page.goto(server + "/class/cases")
    page.get_by_label("Search").fill("khassaf")
    expect(page.locator("#count")).to_have_text(f"2 of {CASES} cases")
    page.get_by_label("Type").select_option("III")
    expect(page.locator("#count")).to_have_text(f"1 of {CASES} cases")
    page.locator(f"[data-case='{SEED_CASE}']").click()
    expect(page.locator(".question")).to_contain_text("The celiac run fills the left liver only")
    loaded(page, "#detail img")
    expect(page.locator("#answer")).to_have_count(0)
    keep_sizes(page, "case", tmp_path)
    page.get_by_role("button", name="Reveal the answer").click()
    answer = page.locator("#answer")
    expect(answer).to_be_focused()
    expect(answer.locator(".verdict")).to_have_text("Michels III · Hiatt 3")
    expect(answer).to_contain_text("Khassaf MS, Abed NY.")
    assert "answer=true" in (page.locator("#detail img").get_attribute("src") or "")
    keep_sizes(page, "case-answer", tmp_path)
    assert page.url.endswith(f"#{SEED_CASE}")  # a link that opens the same case


def test_a_quiz_question_right_then_one_wrong(
    page: Page,
    server: str,
    tmp_path: Path,
) -> None:
    pool = builtin_pool()
    page.goto(server + "/class/quiz")
    keep_sizes(page, "quiz-start", tmp_path)
    page.get_by_label("Seed (optional)").fill("5")
    page.get_by_label("Questions", exact=True).select_option("5")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("#progress")).to_have_text("Question 1 of 5 · seed 5")
    expect(page.locator("#score")).to_have_text("Score: 0 / 0")

    def answer(right: bool) -> str:
        question = pool.question(page.locator("#quiz").get_attribute("data-question") or "")
        accepted = pool.solution(question.id).accepted
        keys = [
            chr(ord("A") + i)
            for i, c in enumerate(question.choices)
            if (c.value in accepted) == right
        ]
        page.locator(f"#choices input[value='{keys[0]}']").check()
        page.get_by_role("button", name="Check").click()
        return pool.solution(question.id).answer

    right = answer(True)
    feedback = page.locator("#feedback")
    expect(feedback.locator(".verdict")).to_have_text(f"Right: {right}.")
    expect(page.locator("#score")).to_have_text("Score: 1 / 1")
    expect(page.locator("#choices label.right")).to_have_count(1)
    keep_sizes(page, "quiz-right", tmp_path)
    page.get_by_role("button", name="Next question").click()
    expect(page.locator("#progress")).to_have_text("Question 2 of 5 · seed 5")

    if page.locator("#figure-slot img").count():
        loaded(page, "#figure-slot img")
    keep_sizes(page, "quiz-question", tmp_path)
    expected = answer(False)
    expect(feedback.locator(".verdict")).to_have_text(f"Not right. The answer: {expected}.")
    expect(feedback.locator(".sources")).to_contain_text("Source: ")
    explanation = pool.solution(page.locator("#quiz").get_attribute("data-question") or "")
    expect(feedback).to_contain_text(explanation.explanation.splitlines()[0][:60])
    expect(page.locator("#score")).to_have_text("Score: 1 / 2")
    expect(page.locator("#choices label.wrong")).to_have_count(1)
    keep_sizes(page, "quiz-wrong", tmp_path)


def test_the_quiz_works_from_the_keyboard(page: Page, server: str) -> None:
    page.goto(server + "/class/quiz")
    page.get_by_label("Seed (optional)").fill("12")
    page.keyboard.press("Enter")  # submits the set-up form
    expect(page.locator("#question-heading")).to_be_focused()
    page.locator("#choices input").first.focus()
    page.keyboard.press("ArrowDown")  # the next choice, as radios do
    page.keyboard.press("Enter")
    expect(page.locator("#feedback")).to_be_focused()
    expect(page.locator("#score")).to_have_text(re.compile(r"Score: [01] / 1"))


def test_the_status_page_and_the_hub(page: Page, server: str, tmp_path: Path) -> None:
    page.goto(server + "/class/status")
    expect(page.locator("#summary")).to_have_text(
        f"{CASES} cases in the library; no instructor's folder is configured."
    )
    page.goto(server + "/class/")
    page.get_by_role("link", name="Quiz Name the type").click()
    expect(page).to_have_url(server + "/class/quiz")
    page.wait_for_load_state()  # the page's module has run: the button works
    page.get_by_role("button", name="Large text").click()
    expect(page.locator("html")).to_have_class("large")
    expect(page.get_by_role("button", name="Large text")).to_have_attribute("aria-pressed", "true")
    keep_sizes(page, "quiz-large-text", tmp_path)
