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


PAGES: tuple[PageSpec, ...] = (PageSpec("app_pages/playground.py", "playground", "nav.playground", "🎛️"),)
