"""Strings of the "link to this view" control in the sidebar (ui/links.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "link.button": {"en": "Link to this view", "zh": "本视图的链接"},
    "link.help": {
        "en": "The address of this page with every setting as it is now, in this language. "
        "Click to show it; the button at its top right copies it.",
        "zh": "本页的地址，所有设置和语言都与现在相同。点击即可显示，链接框右上角的按钮可复制它。",
    },
    "link.projector": {"en": "For the projector (presenter mode):", "zh": "用于投影（演示模式）："},
    "link.students": {"en": "For students (normal mode):", "zh": "给学生（普通模式）："},
}
