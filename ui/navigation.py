"""The app's pages, in one list: the entry point builds navigation from it, and the quality-gate
test suites discover every page from it, so a new page is covered the moment it is listed here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the repo root
    url_path: str
    title_key: str  # translation key of the page title
    icon: str
    section: str = "nav.section.tools"  # translation key of the navigation section
    charts: bool = True  # the page draws at least one chart (the Lecture page is a table of scenes)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/playground.py", "playground", "nav.playground", ":material/tune:"),
    PageSpec("app_pages/lecture.py", "lecture", "nav.lecture", ":material/co_present:", charts=False),
    PageSpec("app_pages/step_by_step.py", "steps", "nav.steps", ":material/stairs:", "nav.section.lessons"),
    PageSpec("app_pages/why_scale.py", "why-sqrt-dk", "nav.why_scale", ":material/straighten:", "nav.section.lessons"),
    PageSpec("app_pages/masks.py", "masks", "nav.masks", ":material/visibility_off:", "nav.section.lessons"),
    PageSpec(
        "app_pages/multi_head.py", "multi-head", "nav.multi_head", ":material/view_module:", "nav.section.lessons"
    ),
    PageSpec(
        "app_pages/self_cross.py", "self-vs-cross", "nav.self_cross", ":material/swap_horiz:", "nav.section.lessons"
    ),
    PageSpec("app_pages/variants.py", "variants", "nav.variants", ":material/science:", "nav.section.lessons"),
    PageSpec("app_pages/mistakes.py", "mistakes", "nav.mistakes", ":material/report:", "nav.section.lessons"),
    PageSpec("app_pages/position.py", "position", "nav.position", ":material/pin_drop:", "nav.section.lessons"),
    PageSpec("app_pages/cost.py", "cost", "nav.cost", ":material/timer:", "nav.section.lessons"),
    PageSpec("app_pages/rope.py", "rope", "nav.rope", ":material/rotate_right:", "nav.section.modern"),
    PageSpec("app_pages/alibi.py", "alibi", "nav.alibi", ":material/trending_down:", "nav.section.modern"),
    PageSpec(
        "app_pages/sliding_window.py",
        "sliding-window",
        "nav.sliding_window",
        ":material/view_week:",
        "nav.section.modern",
    ),
    PageSpec("app_pages/kv_cache.py", "kv-cache", "nav.kv_cache", ":material/memory:", "nav.section.modern"),
    PageSpec(
        "app_pages/online_softmax.py", "online-softmax", "nav.online_softmax", ":material/bolt:", "nav.section.modern"
    ),
    PageSpec("app_pages/training.py", "training", "nav.training", ":material/model_training:", "nav.section.models"),
    PageSpec("app_pages/pretrained.py", "pretrained", "nav.pretrained", ":material/psychology:", "nav.section.models"),
    PageSpec(
        "app_pages/inside_model.py", "inside-model", "nav.inside_model", ":material/biotech:", "nav.section.models"
    ),
)
