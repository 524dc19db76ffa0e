"""nuemcore.explorer: the static spec reproduces the library at every grid point it embeds, the
live explorer updates its figure in place, bad specs and values raise ExplorerError."""
from __future__ import annotations

import json

import numpy as np
import pytest

from nuemcore import explorer as X
from nuemcore.analyses import toolkit
from nuemcore.errors import NuemError


def _toy(a=1.0, n=2.0, kind="sq"):
    x = np.linspace(1.0, 2.0, 5)
    y = a * x ** n if kind == "sq" else -a * x
    return {"traces": {"f": (x, y)}, "readouts": {"f(2)": float(y[-1])}, "title": f"a={a:g}"}


TOY = X.Explorer(
    name="toy", function=f"{__name__}:_toy",
    controls=(X.Control("a", "a", X.log_grid(1e-3, 1e3, 13), 1.0, log=True),
              X.Control("n", "n", X.lin_grid(0.0, 3.0, 10), X.lin_grid(0.0, 3.0, 10)[3]),
              X.Control("kind", "kind", ("sq",), "sq", static=False, live=("sq", "neg"))),
    xlabel="x", ylabel="y", xlog=False, ylog=True, note="toy")


def test_grids():
    g = X.log_grid(0.1, 1000.0, 17)
    assert len(g) == 17 and g[0] == 0.1 and g[-1] == 1000.0
    assert np.allclose(np.diff(np.log10(g)), 0.25, rtol=1e-5, atol=0)
    assert X.lin_grid(-12, -6, 13)[1] == -11.5
    with pytest.raises(X.ExplorerError, match="lo=0"):
        X.log_grid(0, 1, 10)


def test_bad_specs_raise():
    with pytest.raises(NuemError, match="default=5"):
        X.Control("a", "a", X.lin_grid(0, 1, 10), 5)
    with pytest.raises(X.ExplorerError, match="10-30 steps"):
        X.Control("a", "a", (1.0, 2.0), 1.0)
    with pytest.raises(X.ExplorerError, match="function="):
        X.Explorer("e", "nomodule", (), "x", "y")
    with pytest.raises(X.ExplorerError, match="unknown control"):
        TOY.evaluate(b=1)
    with pytest.raises(X.ExplorerError, match="indices"):
        X.settings_at(TOY, [0])


def test_spec_embeds_library_values_to_1e6():
    spec = X.spec(TOY)
    assert [c["name"] for c in spec["controls"]] == ["a", "n"]  # kind is live-only
    assert spec["fixed"] == {"kind": "sq"}
    assert len(spec["points"]) == 13 * 10 == TOY.grid_size()
    for i, j in [(0, 0), (6, 3), (12, 9)]:
        p = spec["points"][i * 10 + j]  # C order over the static controls
        ref = _toy(**X.settings_at(TOY, [i, j]))
        x, y = ref["traces"]["f"]
        got_y = np.array([np.nan if v is None else v for v in p["y"][0]])
        pos = y > 0  # log y axis: y <= 0 is a gap (None)
        assert np.all(np.isnan(got_y[~pos]))
        assert np.allclose(got_y[pos], y[pos], rtol=1e-6, atol=0)
        assert np.allclose(spec["xs"][p["x"][0]], x, rtol=1e-6, atol=0)
        assert p["r"][0] == pytest.approx(ref["readouts"]["f(2)"], rel=1e-6, abs=0)
        assert p["t"] == ref["title"]
    assert len(spec["xs"]) == 1  # the one shared x array is stored once


def test_static_html_is_safe_json():
    h = X.static(TOY).html()
    assert h.startswith('<div class="nuem-explorer"') and "</script>" in h
    body = h.split('class="nuem-explorer-spec">', 1)[1].split("</script>", 1)[0]
    assert json.loads(body)["function"] == f"{__name__}:_toy"
    assert "NaN" not in body and "Infinity" not in body


def test_live_updates_figure_in_place(monkeypatch):
    monkeypatch.delenv("NUEM_BUILD", raising=False)
    lv = X.live(TOY)
    fig = lv.fig
    before = np.array(fig.data[0].y, dtype=float)
    lv.update(a=10.0, n=1.0)
    assert lv.fig is fig  # same FigureWidget, data replaced
    assert np.allclose(fig.data[0].y, 10.0 * np.linspace(1, 2, 5), rtol=1e-12, atol=0)
    assert not np.allclose(before, fig.data[0].y)
    assert fig.layout.title.text == "a=10"
    assert "f(2): 20" in lv.readouts.value
    lv.widgets["kind"].value = "neg"  # a widget change triggers the update; y <= 0 -> gaps
    assert np.all(np.isnan(np.array(fig.data[0].y, dtype=float)))


def test_live_creates_no_widget_during_build(monkeypatch):
    monkeypatch.setenv("NUEM_BUILD", "1")
    note = repr(X.live(TOY))
    assert "needs a Jupyter kernel" in note and len(note) <= 88     # fits the printed-width rule


def test_registry_has_toolkit():
    reg = X.registry()
    assert reg["toolkit"] is toolkit.EXPLORERS["toolkit"]
    for ex in reg.values():
        assert 1 <= len(ex.static_controls) <= 3, ex.name
        assert ex.note, ex.name


def test_toolkit_explorer_matches_widget_update_and_names_its_setting():
    ex = toolkit.EXPLORERS["toolkit"]
    out = ex.evaluate(log10_value=-8.0, E_nu=100.0)
    T, sm, bsm = toolkit.widget_update("Xe", "magnetic moment", -8.0, 100.0,
                                       n=toolkit.EXPLORER_POINTS)
    assert np.array_equal(out["traces"]["SM"][1], sm)
    assert np.array_equal(out["traces"]["SM + magnetic moment"][1], bsm)
    assert out["readouts"]["T_max [MeV]"] == T[-1]
    assert out["readouts"]["(SM + BSM)/SM at T = 1e-4 T_max"] == bsm[0] / sm[0] > 1
    assert out["title"] == "Xe, E = 100 MeV, magnetic moment = 1e-8 mu_B"
    with pytest.raises(NuemError, match="E_nu=-1"):
        ex.evaluate(E_nu=-1.0)
    with pytest.raises(NuemError, match="prop='spin'"):
        ex.evaluate(prop="spin")
