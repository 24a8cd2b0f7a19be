"""Strings of the notice a freshly started server shows while it loads its libraries."""

STRINGS: dict[str, dict[str, str]] = {
    "loading.first_run": {
        "en": "Starting up: this server was just started and loads PyTorch and the chart libraries first "
        "(a few seconds here, longer on a small cloud machine). Every later visit opens at once.",
        "zh": "正在启动：服务器刚刚启动，要先加载 PyTorch 和图表库（这里需要几秒钟，在小型云主机上更久）。"
        "之后的每次访问都会立即打开。",
    },
}
