"""The multi-head lesson's charts: the shape flow is drawn to scale and fits; the heads grid keeps token labels."""

import json

import numpy as np
import pytest
import torch

from core.multihead import MultiHeadAttention
from core.shapes import STAGE_NAMES, Stage, shape_flow
from ui.charts.heatmaps import MASKED_COLOUR, WEIGHTS_SCHEME
from ui.charts.multi_head import (
    FLOW_BOX_AREA,
    FLOW_MAX_BOX_HEIGHT,
    FLOW_MIN_SIDE,
    FLOW_NAME_WIDTH,
    FLOW_WIDTH,
    GRID_WIDTH,
    HEAD_COLOURS,
    flow_layout,
    flow_unit,
    grid_cell,
    grid_columns,
    grid_rows,
    heads_grid,
)
from ui.charts.multi_head import shape_flow as shape_flow_chart

NAMES = {name: name.upper() for name in STAGE_NAMES}


def stages_for(heads: int, d_k: int, length: int) -> tuple[Stage, ...]:
    model = MultiHeadAttention(heads * d_k, heads, generator=torch.Generator().manual_seed(0))
    x = torch.randn(length, heads * d_k, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        return shape_flow(x, model(x.unsqueeze(0)))


@pytest.mark.parametrize(("heads", "d_k", "length"), [(2, 8, 10), (8, 128, 64), (8, 1, 64), (1, 1, 1), (3, 5, 7)])
def test_flow_boxes_are_to_scale_and_fit(heads: int, d_k: int, length: int) -> None:
    stages = stages_for(heads, d_k, length)
    boxes, texts, height = flow_layout(stages, NAMES)
    unit = flow_unit(stages)
    widths, heights = boxes["x2"] - boxes["x"], boxes["y2"] - boxes["y"]
    by_stage = {name: boxes["stage"] == NAMES[name] for name in STAGE_NAMES}
    # Same pixels per entry on both axes (down to the 2 px floor that keeps d_k = 1 visible).
    assert np.allclose(heights[by_stage["input"]], max(length * unit, FLOW_MIN_SIDE))
    assert np.allclose(widths[by_stage["qkv"]], max(d_k * unit, FLOW_MIN_SIDE))
    assert np.allclose(widths[by_stage["weights"]], max(length * unit, FLOW_MIN_SIDE))
    assert np.allclose(widths[by_stage["concat"]].sum(), widths[by_stage["input"]].sum())  # the heads tile d_model
    assert (boxes["x"] >= FLOW_NAME_WIDTH).all() and boxes["x2"].max() <= FLOW_NAME_WIDTH + FLOW_BOX_AREA + 1e-9
    assert heights.max() <= FLOW_MAX_BOX_HEIGHT + 1e-9
    shapes = texts[texts["kind"] == "shape"]
    assert shapes["x"].max() + 110 <= FLOW_WIDTH  # "[64, 1024]" at 14 px monospace still fits
    assert list(shapes["text"]) == ["[" + ", ".join(map(str, s.shape)) + "]" for s in stages]
    assert 0 < texts["y"].min() and texts["y"].max() < height
    assert np.isfinite(boxes.select_dtypes("number").to_numpy()).all()


def test_flow_colours_heads_and_greys_whole_tensors() -> None:
    figure = shape_flow_chart(stages_for(3, 4, 5), NAMES, title="flow", head_title="head", shape_title="shape")
    boxes = figure.datasets["boxes"]
    assert sorted(boxes.loc[boxes["stage"] == "QKV", "head"]) == [0, 1, 2]
    assert list(boxes.loc[boxes["stage"] == "INPUT", "head"]) == [-1]
    assert all(colour in figure.template for colour in HEAD_COLOURS)
    assert json.loads(figure.template)["width"] == FLOW_WIDTH


@pytest.mark.parametrize(("heads", "rows"), [(1, [1]), (4, [4]), (5, [3, 2]), (6, [3, 3]), (7, [4, 3]), (8, [4, 4])])
def test_grid_rows_are_balanced_without_empty_slots(heads: int, rows: list[int]) -> None:
    assert [len(row) for row in grid_rows(heads)] == rows
    assert [h for row in grid_rows(heads) for h in row] == list(range(heads))
    assert grid_columns(heads) == rows[0]


def test_grid_keeps_every_token_label_for_eight_heads_of_ten_tokens() -> None:
    cell = grid_cell(8, 10)
    assert cell >= 14  # ≥ 10 px keeps every label; 14 px leaves room for 9 px text
    assert 4 * cell * 10 + 90 + 3 * 14 <= GRID_WIDTH
    assert grid_cell(1, 64) >= 2 and grid_cell(8, 64) >= 2


def test_grid_data_and_spec() -> None:
    weights = np.random.default_rng(0).dirichlet(np.ones(4), size=(3, 4))  # [H, L, S], rows sum to 1
    allowed = np.ones((3, 4, 4), dtype=bool)
    allowed[:, :, 3] = False
    labels = ["0 a", "1 b", "2 c", "3 d"]
    figure = heads_grid(
        weights,
        allowed,
        labels,
        labels,
        title="t",
        head_title="head",
        x_title="k",
        y_title="q",
        legend_title="w",
        scale=1.0,
    )
    cells = figure.datasets["grid"]
    assert len(cells) == 3 * 16
    assert list(cells["head"].cat.categories) == ["head 0", "head 1", "head 2"]
    assert (cells.loc[cells["masked"], "value"] == 0).all()
    one = cells[(cells["head"] == "head 2") & ~cells["masked"]]
    assert np.allclose(one.sort_values(["row", "col"])["value"], weights[2][:, :3].ravel())
    spec = figure.spec()
    (row,) = spec["vconcat"]  # three heads fit one row
    assert row["facet"]["column"]["field"] == "head"
    assert row["facet"]["column"]["sort"] == ["head 0", "head 1", "head 2"]
    colour = row["spec"]["encoding"]["color"]
    assert colour["condition"] == {"test": "datum.masked", "value": MASKED_COLOUR}
    assert colour["scale"] == {"scheme": WEIGHTS_SCHEME, "domain": [0, 1]}  # fixed: weights are compared across heads
    assert row["spec"]["encoding"]["x"]["sort"] == labels
