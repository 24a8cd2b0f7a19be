"""Fixtures for the core tests: a recorder of how far our attention strays from PyTorch's."""

from __future__ import annotations

import pytest
import torch

PARITY_ATOL = 1e-5


class ParityRecorder:
    """Compares our tensors with PyTorch's (atol 1e-5, rtol 0) and remembers the worst gap seen."""

    def __init__(self) -> None:
        self.cases = 0
        self.max_error = 0.0
        self.worst = ""

    def check(self, label: str, actual: torch.Tensor, expected: torch.Tensor, *, atol: float = PARITY_ATOL) -> float:
        assert actual.shape == expected.shape, f"{label}: shape {tuple(actual.shape)} != {tuple(expected.shape)}"
        assert not actual.isnan().any(), f"{label}: NaN in our result"
        assert not expected.isnan().any(), f"{label}: NaN in PyTorch's result (the test set up a bad case)"
        error = (actual.double() - expected.double()).abs().max().item() if actual.numel() else 0.0
        self.cases += 1
        if error > self.max_error:
            self.max_error, self.worst = error, label
        torch.testing.assert_close(actual, expected, atol=atol, rtol=0.0, msg=lambda m: f"{label}: {m}")
        return error


_PARITY_KEY = pytest.StashKey[ParityRecorder]()


@pytest.fixture(scope="session")
def parity(request: pytest.FixtureRequest) -> ParityRecorder:
    # Session-scoped (not function-scoped), so Hypothesis tests may use it.
    return request.config.stash.setdefault(_PARITY_KEY, ParityRecorder())


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    recorder = config.stash.get(_PARITY_KEY, None)
    if recorder is not None and recorder.cases:
        terminalreporter.write_line(
            f"PARITY: {recorder.cases} cases, max abs error {recorder.max_error:.3g} (worst: {recorder.worst})"
        )
