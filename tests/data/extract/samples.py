"""Sample source files shared by the extraction, ingest and search tests (loaded by path from
each test folder's conftest, since tests are not a package)."""

from __future__ import annotations

from pathlib import Path

MAIN_TEX = r"""\documentclass{article}
\usepackage{amsmath}
% a comment that must disappear
\title{Entropy of Widget Ensembles}
\author{Grace Hopper \thanks{Navy} \and Alan Turing \\ Bletchley Park}
\date{March 2021}
\begin{document}
\maketitle
\begin{abstract}
We study widget ensembles. arXiv:2103.01234
\end{abstract}
\input{sections/intro}
\include{method}
\end{document}
"""

INTRO_TEX = r"""\section{Introduction}
Widgets are tiny machines; their entropy grows 50\% per hour. % hidden remark
\subsection{Background}
The ensemble was first described by Boltzmann.
"""

METHOD_TEX = r"""\section{Method}
The free energy of a widget is
\begin{equation}
F = U - T S \label{eq:free}
\end{equation}
which we minimise with gradient descent.
"""


def write_latex_project(root: Path) -> Path:
    """A three-file LaTeX project; returns the main file."""
    (root / "sections").mkdir(parents=True, exist_ok=True)
    (root / "main.tex").write_text(MAIN_TEX)
    (root / "sections" / "intro.tex").write_text(INTRO_TEX)
    (root / "method.tex").write_text(METHOD_TEX)
    return root / "main.tex"


def write_text_pdf(path: Path, lines: list[str], title: str = "", author: str = "") -> Path:
    """A real PDF with a text layer, drawn with matplotlib's PDF backend."""
    import matplotlib

    matplotlib.use("pdf")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    metadata = {k: v for k, v in {"Title": title, "Author": author}.items() if v}
    with PdfPages(path, metadata=metadata) as pdf:
        fig = plt.figure(figsize=(8.5, 11))
        for i, line in enumerate(lines):
            fig.text(0.05, 0.95 - 0.04 * i, line, fontsize=9)
        pdf.savefig(fig)
        plt.close(fig)
    return path


HTML_PAGE = """<html><head><title>Tide pools</title>
<meta name="author" content="Rachel Carson"></head>
<body><nav>Home | Shop | Login</nav>
<article><h1>Tide pools</h1>
<p>Tide pools are rocky pools on the seashore which are separated from the sea at low tide.
Anemones, sea stars and hermit crabs live in these harsh intertidal habitats.</p>
<h2>Zonation</h2>
<p>Organisms in tide pools sort into bands by how long they can survive out of water,
a pattern ecologists call intertidal zonation.</p>
</article><footer>Copyright 2020 Shop Inc. All rights reserved.</footer></body></html>
"""
