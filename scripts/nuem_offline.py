"""Sphinx extension: the built book loads nothing from the internet.

* At ``build-finished`` it copies MathJax 3, require.js and the ipywidgets HTML manager from
  ``node_modules/`` (installed by ``make js`` from ``package.json``) into ``<outdir>/_offline/``,
  with ``scripts/offline/nuem-widgets.js`` (require.js path of the widget assets; MathJax 2
  ``Hub.Queue`` shim for ipywidgets on MathJax 3).
* At ``html-page-context`` (after Sphinx's MathJax hook and myst-nb's widget hook) it rewrites
  every script whose configured path starts with ``_offline/`` so that it points to
  ``<outdir>/_offline/...`` relative to the page (pages in sub-folders get ``../_offline/...``).
  Sphinx would otherwise put any relative script path under ``_static/``.
* Pages with a static explorer (``<div class="nuem-explorer">``, see ``nuemcore/explorer.py``)
  get Plotly's partial bundle (``plotly.js-basic-dist-min``) and ``scripts/offline/nuem-explorer.js``
  as their first scripts; no other page loads them.  The ipywidgets manager (require.js,
  embed-amd.js) is added by myst-nb only to pages whose notebook carries widget state, and the
  explorers' live cells create no widget during the build (``NUEM_BUILD``), so explorer pages do
  not load it.
* It drops sphinx-thebe's scripts (thebe is off; set ``nuem_keep_thebe`` to keep them).
* It refuses to write a page that would load a script or stylesheet from another host.

The configuration that points at these files lives in ``_config.yml`` (``mathjax_path`` and
``nb_ipywidgets_js``); this module only makes those paths correct and checks the result.
Set ``NUEM_NODE_MODULES`` to use a ``node_modules`` folder somewhere else.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from sphinx.errors import ExtensionError

PREFIX = "_offline/"

#: (source relative to node_modules, destination relative to <outdir>/_offline, file filter)
ASSETS = [
    ("mathjax/es5/tex-chtml.js", "mathjax/tex-chtml.js", None),
    ("mathjax/es5/input", "mathjax/input", None),
    ("mathjax/es5/output/chtml", "mathjax/output/chtml", None),
    ("mathjax/es5/output/chtml.js", "mathjax/output/chtml.js", None),
    ("mathjax/es5/ui", "mathjax/ui", None),
    ("mathjax/es5/a11y", "mathjax/a11y", None),
    ("mathjax/es5/adaptors", "mathjax/adaptors", None),
    ("mathjax/es5/sre", "mathjax/sre", None),
    ("requirejs/require.js", "require.js", None),
    # embed-amd.js plus the font files its CSS refers to (same folder)
    ("@jupyter-widgets/html-manager/dist", "html-manager",
     lambda name: name == "embed-amd.js" or name.endswith((".woff2", ".woff", ".ttf", ".eot", ".svg"))),
    # Plotly's partial bundle (scatter, log axes; 1.2 MB) for the static explorers
    ("plotly.js-basic-dist-min/plotly-basic.min.js", "plotly-basic.min.js", None),
]

#: scripts added (first, before require.js, so Plotly sets window.Plotly) only to pages whose
#: body contains a static explorer (nuemcore/explorer.py); other pages do not load them
EXPLORER_MARK = 'class="nuem-explorer"'
EXPLORER_JS = ["_offline/plotly-basic.min.js", "_offline/nuem-explorer.js"]


#: our own small scripts (scripts/offline/) -> <outdir>/_offline
LOCAL_ASSETS = ["nuem-widgets.js", "nuem-explorer.js"]
LOCAL_DIR = Path(__file__).resolve().parent / "offline"


def node_modules(app) -> Path:
    env = os.environ.get("NUEM_NODE_MODULES")
    return Path(env) if env else Path(app.srcdir) / "node_modules"


def _copy_file(src: Path, dst: Path) -> None:
    if dst.is_file() and dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime >= src.stat().st_mtime:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def copy_assets(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    nm = node_modules(app)
    out = Path(app.outdir) / PREFIX.rstrip("/")
    missing = [str(nm / src) for src, _, _ in ASSETS if not (nm / src).exists()]
    if missing:
        raise ExtensionError(
            "offline JavaScript assets are missing (run `make js`, i.e. `npm ci`): " + ", ".join(missing))
    for name in LOCAL_ASSETS:
        _copy_file(LOCAL_DIR / name, out / name)
    for src, dst, keep in ASSETS:
        s, d = nm / src, out / dst
        if s.is_file():
            _copy_file(s, d)
            continue
        for f in sorted(s.rglob("*")):
            if f.is_file() and (keep is None or keep(f.name)):
                _copy_file(f, d / f.relative_to(s))


# pydata-sphinx-theme loads Font Awesome's SVG-replacement script (1.5 MB) on every page "so that
# users can add custom icons"; the theme's own icons come from its CSS and webfonts.  The book adds
# no custom icon, so the script is dropped from every page and from the output (issue 10: pages
# <= 6 MB).  The browser tests would catch a page that still asked for it (failed request).
FONTAWESOME_TAG = re.compile(r'\s*<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*></script>')


def drop_fontawesome(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = FONTAWESOME_TAG.sub("", text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    for f in (outdir / "_static" / "scripts").glob("fontawesome.js*"):
        f.unlink()


def _remote(name: str) -> bool:
    return "://" in name or name.startswith("//")


def _name(asset) -> str:
    """Path of a Sphinx asset (``_JavaScript``/``_CascadingStyleSheet`` or an old-style str)."""
    name = asset if isinstance(asset, str) else asset.filename
    return os.fspath(name) if name else ""  # inline scripts have no file


def _is_thebe(js) -> bool:
    if _name(js).endswith("sphinx-thebe.js"):
        return True
    body = "" if isinstance(js, str) else js.attributes.get("body", "")
    return "THEBE_JS_URL" in body


def rewrite_page_assets(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if scripts is None:
        return
    if not app.config.nuem_keep_thebe:
        # Thebe (live code on a remote kernel) is off in _config.yml, but jupyter-book always loads
        # sphinx-thebe, which adds a loader script and the URL of its remote library to every page.
        scripts[:] = [js for js in scripts if not _is_thebe(js)]
        css = context.get("css_files")
        if css is not None:
            css[:] = [c for c in css if not _name(c).endswith("sphinx-thebe.css")]
    if EXPLORER_MARK in context.get("body", ""):
        from sphinx.builders.html._assets import _JavaScript
        scripts[0:0] = [_JavaScript(path, priority=100) for path in EXPLORER_JS]
    for i, js in enumerate(list(scripts)):
        name = _name(js)
        if name.startswith("_static/" + PREFIX):
            local = name[len("_static/"):]
            if isinstance(js, str):
                scripts[i] = local
            else:
                attrs = {k: v for k, v in js.attributes.items()
                         if k not in ("crossorigin", "integrity")}  # same-origin files
                scripts[i] = type(js)(local, priority=js.priority, **attrs)
        elif name and _remote(name):
            raise ExtensionError(f"page {pagename!r} would load a remote script {name!r}; "
                                 "serve it from _offline/ (see scripts/nuem_offline.py)")
    for css in context.get("css_files", []):
        if _remote(_name(css)):
            raise ExtensionError(f"page {pagename!r} would load a remote stylesheet {_name(css)!r}")


def setup(app):
    app.add_config_value("nuem_keep_thebe", False, "html")
    # priority > 500: run after sphinx.ext.mathjax and myst_nb have added their scripts
    app.connect("html-page-context", rewrite_page_assets, priority=900)
    app.connect("build-finished", copy_assets)
    app.connect("build-finished", drop_fontawesome)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
