"""Notebooks are stored diff-friendly: a synced .py/.ipynb pair, no outputs, numbered, narrated."""

from __future__ import annotations

import re

import jupytext
import nbformat
import pytest

from conftest import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_suite_has_numbered_notebooks_with_unique_numbers():
    assert NOTEBOOKS, "no notebooks/NN_name.ipynb"
    numbers = [nb.name[:2] for nb in NOTEBOOKS]
    assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(notebook):
    nb = nbformat.read(notebook, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert dirty == [], f"{notebook.name}: cells with outputs {dirty}; store notebooks without outputs"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_pair_is_in_sync(notebook):
    script = notebook.with_suffix(".py")
    assert script.is_file(), f"{notebook.name} has no paired {script.name}; run `make notebooks`"
    stored = [(c.cell_type, c.source.strip()) for c in nbformat.read(notebook, as_version=4).cells]
    paired = [(c.cell_type, c.source.strip()) for c in jupytext.read(script).cells]
    assert stored == paired, f"{notebook.name} and {script.name} differ; run `make notebooks`"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_its_question_and_ends_with_findings(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    assert cells[0].cell_type == "markdown" and re.search(r"(?i)question|问题", cells[0].source)
    assert re.search(r"(?i)input", cells[0].source) and re.search(r"(?i)output", cells[0].source)
    tail = "\n".join(c.source for c in cells[-3:])
    assert re.search(r"(?i)found|finding|conclu", tail), f"{notebook.name} does not end with what it found"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_never_hardcodes_data_paths(notebook):
    source = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code")
    assert "../data" not in source and "../figures" not in source, "use brandrep.paths"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_on_the_project_kernel(notebook):
    from brandrep.kernel import KERNEL_NAME

    assert nbformat.read(notebook, as_version=4).metadata["kernelspec"]["name"] == KERNEL_NAME
