"""The one Chromium configuration of the project: Debian's Chromium by path (Playwright cannot download its
own browsers here) and the flags every benchmark and every browser test launches it with."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
