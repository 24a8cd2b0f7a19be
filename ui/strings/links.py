"""Strings of the "link to this view" control in the sidebar (ui/links.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "link.button": {"en": "Link to this view", "zh": "本视图的链接"},
    "link.help": {
        "en": "Opens this page with every setting as it is now, in this language. "
        "The button at the box's top right copies it.",
        "zh": "打开本页,所有设置和语言都与现在相同。点击框右上角的按钮即可复制。",
    },
}
