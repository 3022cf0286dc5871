"""Records of any shape render: a field of an unexpected type shows as missing, never as a
crash of the whole report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artemis.report.episode_page import Links, render_episode
from artemis.report.figures import step_figures
from artemis.report.index_page import RunSummary, render_index
from artemis.report.load import Episode, load_episode

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_field_of_any_type_renders(recorded_run: Path, data: st.DataObject) -> None:
    real = load_episode(recorded_run / "01-wifi", "x")
    step: dict[str, Any] = dict(real.steps[0])
    for key in data.draw(st.lists(st.sampled_from(sorted(step)), min_size=1, max_size=4)):
        step[key] = data.draw(json_values)
    episode: dict[str, Any] = dict(real.data)
    for key in data.draw(st.lists(st.sampled_from(sorted(episode)), max_size=3)):
        episode[key] = data.draw(json_values)
    ep = Episode(
        real.folder,
        "x",
        episode,
        [step],
        [],
        record=data.draw(
            st.none()
            | st.dictionaries(
                st.sampled_from(["score", "template", "params", "error", "id"]), json_values
            )
        ),
    )
    figures = [step_figures(real.folder, step)]
    assert render_episode(ep, figures, None, Links()).startswith("<!doctype html>")
    summary = RunSummary("summary.json", data.draw(json_values))
    assert "<table" in render_index("t", [ep], ["x.html"], [summary], [], [])
