"""Chinese labels in PNG exports are drawn as glyphs on a server whose renderer does not see a CJK font by itself.

A machine without a CJK font is made here by restricting fontconfig (``FONTCONFIG_FILE``), which vl-convert's
own font scan follows, to a folder of Latin fonts: a chart rendered with vl-convert alone then draws every
Chinese character as the same box. ``ui.export`` registers the folder of the CJK font the install brings
(``fonts-noto-cjk``, named in ``packages.txt`` for Community Cloud; ``/usr/share/fonts/opentype/noto``), so
the same chart exported by the app has distinct glyphs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # from `dpkg -L fonts-noto-cjk`
LATIN_ONLY = next(
    (p for p in (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")) if p.is_dir()),
    None,
)

RENDER = """
import hashlib, json, sys
import numpy as np
import vl_convert
import ui.export
from ui.charts import attention_heatmap

def chart(last):
    labels = ["我", "在", last]
    return attention_heatmap(np.eye(3), labels, kind="weights", title="注意力权重" + last, scale=1.0, lang="zh",
                             x_title="键", y_title="查询", legend_title="数值", masked_text="−∞")

if sys.argv[1] == "alone":  # the renderer by itself, as on a server where nobody points it at a font
    ui.export.cjk_font = lambda: None
    render = lambda figure: vl_convert.vegalite_to_png(ui.export.standalone_spec(figure), scale=2)
else:
    render = ui.export.to_png
print(json.dumps([hashlib.sha256(render(chart(ch))).hexdigest() for ch in "学习"] + [ui.export.cjk_font()]))
"""


def packages_txt() -> list[str]:
    return (ROOT / "packages.txt").read_text(encoding="utf-8").split()


def test_community_cloud_installs_the_cjk_font() -> None:
    assert "fonts-noto-cjk" in packages_txt()


def render_without_system_cjk(mode: str, tmp_path: Path) -> list:
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{LATIN_ONLY}</dir></fontconfig>', encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", RENDER, mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not NOTO_CJK.is_file(), reason="fonts-noto-cjk is not installed (apt-get install fonts-noto-cjk)")
@pytest.mark.skipif(LATIN_ONLY is None, reason="no DejaVu or Liberation folder to stand for a font-less machine")
def test_exports_draw_chinese_glyphs_where_the_renderer_alone_draws_boxes(tmp_path: Path) -> None:
    boxes_first, boxes_second, _ = render_without_system_cjk("alone", tmp_path)
    assert boxes_first == boxes_second  # 学 and 习 come out as the same box: no CJK font seen
    first, second, family = render_without_system_cjk("app", tmp_path)
    assert family == "Noto Sans CJK SC"
    assert first != second  # two different glyphs
    assert first != boxes_first
