"""Sphinx configuration of the brandrep docs site (`make docs`; see docs/reproducibility.md).

docs/build_site.py copies these pages, the claims ledger and the executed notebooks into a
staging folder and builds from there, so the site shows exactly what the last run computed.
"""

project = "brandrep"
author = "brandrep contributors"
copyright = "brandrep contributors, MIT licence"

extensions = ["myst_nb"]
# The site renders the executed copies `brandrep run` wrote; it never runs a notebook itself.
nb_execution_mode = "off"
nb_merge_streams = True
myst_heading_anchors = 3  # links such as own-case.md#bad-input-and-how-to-fix-it
myst_enable_extensions = ["colon_fence"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

html_theme = "pydata_sphinx_theme"
html_title = "brandrep"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 4,
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {"**": ["sidebar-nav-bs"]}
html_static_path = ["_static"]  # written by build_site.py
html_css_files = ["cjk.css"]  # the CJK font subset: Chinese text renders without a system font
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None  # no build date in the pages
