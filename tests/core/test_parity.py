"""The page's parity check: PyTorch's layer, seeded like build_model, against ours on the app's masks."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SEEDS, sizes

from core.multihead import MultiHeadAttention
from core.parity import compare_with_torch, seeded_torch_attention
from core.pipeline import MASK_KINDS, build_mask, build_model, self_attention


@settings(max_examples=80, deadline=None)
@given(**sizes(H=8, d_k=16, L=12), mask=st.sampled_from(MASK_KINDS), seed=SEEDS, data=st.data())
def test_ours_equals_pytorch_within_1e_5(parity, H: int, d_k: int, L: int, mask: str, seed: int, data) -> None:
    module = seeded_torch_attention(d_k, H, seed)
    ours = MultiHeadAttention.from_torch(module)
    real_len = data.draw(st.integers(0, L))  # 0 = an empty sentence: every row fully masked under padding
    allowed = build_mask(mask, L, real_len=real_len, window=data.draw(st.integers(0, 3)))
    x = torch.randn(L, H * d_k, generator=torch.Generator().manual_seed(seed))
    result = self_attention(ours, x, allowed)
    report = compare_with_torch(module, x, allowed, result)

    expected_compared = torch.ones(L, dtype=torch.bool) if allowed is None else allowed.any(dim=-1)
    assert torch.equal(report.compared_rows, expected_compared)
    assert report.compared_count == int(expected_compared.sum())
    # PyTorch gives NaN exactly in the rows that cannot attend; ours gives 0 there.
    assert report.torch_nan_rows == int((~expected_compared).sum())
    assert (result.output[0, ~expected_compared] == 0).all()
    if expected_compared.any():
        rows = expected_compared
        parity.check(
            f"page parity output {H=} {d_k=} {L=} {mask}", result.output[0, rows], report.torch_output[0, rows]
        )
        parity.check(
            f"page parity weights {H=} {d_k=} {L=} {mask}",
            result.attention.weights[0][:, rows],
            report.torch_weights[0][:, rows],
        )
        assert report.output_max_abs_diff <= 1e-5 and report.weights_max_abs_diff <= 1e-5
    else:
        assert report.output_max_abs_diff is None and report.weights_max_abs_diff is None


@settings(max_examples=20, deadline=None)
@given(**sizes(H=8, d_k=16), seed=SEEDS)
def test_seeded_torch_layer_carries_build_models_weights(H: int, d_k: int, seed: int) -> None:
    module = seeded_torch_attention(d_k, H, seed)
    copied, reference = MultiHeadAttention.from_torch(module), build_model(d_k, H, seed)
    for name in ("w_q", "w_k", "w_v", "w_o"):
        assert torch.equal(getattr(copied, name).weight, getattr(reference, name).weight), name
    assert module.in_proj_bias is None and module.out_proj.bias is None
    assert module.batch_first and not module.training


def test_reported_gap_is_the_real_gap() -> None:
    """A wrong result must show up in the report: perturb ours and the report sees exactly that."""
    module = seeded_torch_attention(4, 2, 3)
    ours = MultiHeadAttention.from_torch(module)
    x = torch.randn(5, 8, generator=torch.Generator().manual_seed(1))
    result = self_attention(ours, x, None)
    with torch.no_grad():
        ours.w_o.weight.mul_(1.5)
    wrong = self_attention(ours, x, None)
    report = compare_with_torch(module, x, None, wrong)
    expected = (wrong.output - result.output).abs().max().item()
    assert report.output_max_abs_diff is not None
    assert abs(report.output_max_abs_diff - expected) < 1e-5 and expected > 0.01
    assert report.weights_max_abs_diff is not None and report.weights_max_abs_diff < 1e-5  # W_o acts after the weights


@pytest.mark.parametrize(
    ("training", "grad", "need_weights", "nan"),
    [
        pytest.param(True, True, True, True, id="need_weights"),
        pytest.param(True, True, False, False, id="sdpa-path"),
        pytest.param(False, True, False, False, id="eval-with-autograd"),
        pytest.param(False, False, False, True, id="inference-fast-path"),
    ],
)
def test_when_pytorch_returns_nan_for_a_row_that_sees_no_key(training: bool, grad: bool, need_weights: bool, nan: bool):
    # What the Multi-head page says about fully masked rows in nn.MultiheadAttention (torch 2.13).
    module = torch.nn.MultiheadAttention(8, 2, batch_first=True, dropout=0.0).train(training)
    x = torch.randn(1, 3, 8, generator=torch.Generator().manual_seed(0))
    not_allowed = torch.zeros(3, 3, dtype=torch.bool)
    not_allowed[0] = True  # PyTorch's convention: True = may NOT attend; row 0 sees nothing
    with torch.set_grad_enabled(grad):
        output, _ = module(x, x, x, attn_mask=not_allowed, need_weights=need_weights)
    assert bool(output[0, 0].isnan().any()) is nan
    assert not output[0, 1:].isnan().any()
    if not nan:
        assert torch.equal(output[0, 0], module.out_proj.bias.detach())  # a zero row, then the output bias
