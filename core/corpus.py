"""The corpus shipped with the repo (data/corpus/sentences.txt, CC0, written for this project) and the
word-sense sentences the Inside-the-model page measures."""

from __future__ import annotations

from pathlib import Path

CORPUS_PATH = Path(__file__).resolve().parent.parent / "data" / "corpus" / "sentences.txt"

# "bank" in two senses, three sentences each (written for this project).
BANK_SENTENCES: tuple[tuple[str, str], ...] = (
    ("We sat on the bank of the river and watched the boats.", "river"),
    ("The river flooded its bank after the storm.", "river"),
    ("Grass grew along the muddy bank of the stream.", "river"),
    ("She deposited her salary at the bank this morning.", "money"),
    ("The bank lent him money to buy a house.", "money"),
    ("He opened a savings account at the bank downtown.", "money"),
)


def corpus_sentences(path: Path = CORPUS_PATH) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
