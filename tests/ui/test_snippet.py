"""The playground's PyTorch snippet: run it, and every number it computes equals what ``core`` gives the page."""

from __future__ import annotations

import ast
import contextlib
import io
import subprocess
import sys

import pytest
import torch

from core.pipeline import build_mask, build_model, self_attention
from ui.controls import DEFAULT_SENTENCES, PlaygroundSettings, token_count
from ui.sequence import prepare_sequence
from ui.snippet import playground_snippet

ZH = DEFAULT_SENTENCES["zh"]
HOSTILE = 'say "hi" \\ <script>alert(1)</script> & it\'s """done""" {x} $y'


def settings(
    mode="sentence", text=DEFAULT_SENTENCES["en"], seq_len=None, d_k=8, heads=2, mask="none", window=1, seed=0
):
    seq_len = token_count(text) if seq_len is None else seq_len
    return PlaygroundSettings(mode, text, seq_len, d_k, heads, mask, window, seed)


CASES = {
    "defaults": (settings(), 0),
    "english-second-head-seed": (settings(seed=12345), 1),
    "chinese-padded-padding-mask-4-heads": (settings(text=ZH, seq_len=12, heads=4, mask="padding"), 3),
    "chinese-causal-1-head": (settings(text=ZH, heads=1, d_k=5, mask="causal", seed=7), 0),
    "chinese-cut-short-sliding": (settings(text=ZH, seq_len=5, mask="sliding", window=1), 1),
    "random-sliding-4-heads": (
        settings(mode="random", text="", seq_len=9, d_k=4, heads=4, mask="sliding", window=2),
        2,
    ),
    "random-padding-mask": (settings(mode="random", text="", seq_len=6, mask="padding", seed=99), 0),
    "random-window-0": (settings(mode="random", text="", seq_len=7, d_k=3, heads=1, mask="sliding", window=0), 0),
    "empty-sentence-padding": (settings(text="", seq_len=4, mask="padding"), 0),  # every row fully masked
    "hostile-text-causal": (settings(text=HOSTILE, mask="causal"), 1),
    "one-token": (settings(text="Hi", seq_len=1, d_k=1, heads=1), 0),
    "largest": (settings(mode="random", text="", seq_len=64, d_k=128, heads=8, mask="causal", seed=2**31 - 1), 7),
}


def core_view(config: PlaygroundSettings):
    """What the playground computes for these settings (the same calls as app_pages/playground.py)."""
    sequence = prepare_sequence(config)
    mask = build_mask(config.mask, config.seq_len, real_len=sequence.real_len, window=config.window)
    result = self_attention(build_model(config.d_k, config.heads, config.seed), sequence.embeddings, mask)
    return sequence, result


def run_snippet(code: str) -> tuple[dict, str]:
    namespace: dict = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(compile(code, "playground_snippet.py", "exec"), namespace)
    return namespace, printed.getvalue()


@pytest.mark.parametrize(("config", "head"), CASES.values(), ids=CASES.keys())
def test_snippet_reproduces_the_page_numbers(config, head) -> None:
    sequence, result = core_view(config)
    code = playground_snippet(config, sequence, head)
    namespace, printed = run_snippet(code)
    attention = result.attention
    close = {"atol": 1e-6, "rtol": 0.0}
    torch.testing.assert_close(namespace["x"][0], sequence.embeddings, **close)
    for name in ("q", "k", "v"):
        torch.testing.assert_close(namespace[name], getattr(result, name), **close)
    # What the page draws: the scaled scores with −∞ where masked, the weights and the per-head output.
    torch.testing.assert_close(namespace["masked"], attention.masked_scores, **close)
    torch.testing.assert_close(namespace["weights"], attention.weights, **close)
    torch.testing.assert_close(namespace["output"], attention.output, **close)
    assert torch.equal(namespace["allowed"].expand_as(attention.allowed), attention.allowed)
    assert namespace["head"] == head
    assert f"Softmax weights (head {head}):" in printed
    assert "nan" not in printed


def test_snippet_keeps_hostile_tokens_as_data() -> None:
    config, head = CASES["hostile-text-causal"]
    sequence, _ = core_view(config)
    namespace, _ = run_snippet(playground_snippet(config, sequence, head))
    assert namespace["tokens"] == sequence.tokens
    assert {'"', "\\", "it's", "{", "$"} <= set(namespace["tokens"])


def test_snippet_imports_only_torch_and_the_standard_library() -> None:
    config, head = CASES["chinese-padded-padding-mask-4-heads"]
    tree = ast.parse(playground_snippet(config, core_view(config)[0], head))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"hashlib", "math", "torch", "torch.nn.functional"}


def test_snippet_runs_as_a_script_outside_the_project(tmp_path) -> None:
    """A fresh interpreter in isolated mode (no project on the path), as a reader would run the download."""
    config, head = CASES["chinese-padded-padding-mask-4-heads"]
    sequence, result = core_view(config)
    script = tmp_path / "attention_lab_playground.py"
    saved = tmp_path / "numbers.pt"
    script.write_text(
        playground_snippet(config, sequence, head)
        + f"\ntorch.save({{'weights': weights, 'output': output}}, {str(saved)!r})\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-I", str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert f"Output (head {head}):" in done.stdout
    numbers = torch.load(saved)
    torch.testing.assert_close(numbers["weights"], result.attention.weights, atol=1e-6, rtol=0.0)
    torch.testing.assert_close(numbers["output"], result.attention.output, atol=1e-6, rtol=0.0)


def test_snippet_differs_when_a_setting_differs() -> None:
    """Guards against a snippet that ignores its settings (and would pass the comparison by luck)."""
    base, head = CASES["defaults"]
    sequence, _ = core_view(base)
    code = playground_snippet(base, sequence, head)
    for changed in (settings(seed=1), settings(d_k=4), settings(heads=3), settings(mask="causal")):
        assert playground_snippet(changed, core_view(changed)[0], head) != code
