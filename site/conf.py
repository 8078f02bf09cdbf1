"""Sphinx configuration of the course website.

Built by ``tools/build_site.py``, which copies this folder into a staging folder together
with the lessons (the stored, executed student edition; nothing is executed again), the
widgets' stills, the lessons' table from the README and a copy of MathJax, then runs Sphinx
with warnings as errors.
"""

project = "Forward and backward propagation, step by step"
author = "The course's authors"
copyright = "the course's authors, MIT licence"

extensions = ["myst_nb", "sphinx.ext.githubpages"]

# the lessons are stored executed: show their outputs, never run them
nb_execution_mode = "off"
nb_output_stderr = "show"
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

exclude_patterns = ["_includes", "_stills", "_templates", ".doctrees",
                    "**.ipynb_checkpoints"]

html_theme = "sphinx_book_theme"
html_title = "Forward and backward propagation"
html_static_path = ["_static"]
templates_path = ["_templates"]
# the theme's sidebar, with its course title in a landmark
html_sidebars = {"**": ["course-home.html", "icon-links.html", "search-button-field.html",
                        "sbt-sidebar-nav.html"]}
html_css_files = ["course.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_theme_options = {
    "repository_url": "https://github.com/backprop-course/forward-backward-propagation",
    "repository_branch": "HEAD",
    "path_to_docs": "notebooks",  # a lesson page opens notebooks/NN_topic.ipynb on Binder
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "notebook_interface": "jupyterlab",
    },
    "show_navbar_depth": 1,
    "home_page_in_toc": True,
}
# MathJax is served with the site (copied into _static/mathjax by the build): no CDN
mathjax_path = "mathjax/tex-chtml.js"
# the lessons, written for JupyterLab, sometimes go on with a sentence right after a $$ block
myst_dmath_double_inline = True
html_copy_source = False
