"""User text (typed sentences, their tokens) shown inside Streamlit Markdown, made inert."""


def literal(text: str) -> str:
    """Every ASCII punctuation mark escaped, so no link, image, math, code or emphasis can form."""
    return "".join("\\" + ch if ch.isascii() and not ch.isalnum() and not ch.isspace() else ch for ch in text)
