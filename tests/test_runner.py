"""`brandrep run` and `brandrep verify`: clear failures, staged outputs, a manifest that catches drift."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from brandrep import paths, suite
from brandrep.errors import BrandrepError, ParameterError


def make_notebook(path: Path, body: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "brandrep", "display_name": "brandrep (.venv)", "language": "python"}
    params = nbformat.v4.new_code_cell('total = 726  # complaints on the platform\nbrand = "xiaomi"\nratio = 0.5')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, path)
    return path


WRITES_THEN_CHECKS = """
from brandrep import paths
(paths.processed_dir() / "total.txt").write_text(str(total), encoding="utf-8")
if total < 0:
    raise ValueError(f"total must be >= 0, got {total}")
"""


@pytest.fixture
def notebook(tmp_path):
    return make_notebook(tmp_path / "01_tiny.ipynb", WRITES_THEN_CHECKS)


def test_parameters_are_read_with_their_types_and_help(notebook):
    declared = suite.declared_parameters(notebook)
    assert {name: p.default for name, p in declared.items()} == {"total": 726, "brand": "xiaomi", "ratio": 0.5}
    assert declared["total"].help == "complaints on the platform"


def test_values_are_typed_like_the_default(notebook):
    typed = suite.parameters_for([notebook], [("total", "110"), ("ratio", "0.25"), ("brand", "midea")])
    assert typed[notebook] == {"total": 110, "ratio": 0.25, "brand": "midea"}


def test_unknown_parameter_names_the_notebook_and_the_parameter(run_cli, notebook):
    result = run_cli("run", notebook, "-p", "totl", "5")
    assert result.returncode == 2
    assert "'totl'" in result.stderr and "01_tiny.ipynb" in result.stderr
    assert "total" in result.stderr  # lists what the notebook accepts
    assert "Traceback" not in result.stderr


def test_wrong_type_names_the_notebook_parameter_and_expected_type(run_cli, notebook):
    result = run_cli("run", notebook, "-p", "total", "many")
    assert result.returncode == 2
    assert "01_tiny.ipynb" in result.stderr and "'total'" in result.stderr and "int" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_notebook_lists_the_suite(run_cli):
    result = run_cli("run", "99_nothing")
    assert result.returncode == 1
    assert "no notebook '99_nothing'" in result.stderr
    assert "Traceback" not in result.stderr


def test_successful_run_writes_outputs_report_and_manifest(tmp_path, notebook):
    root = tmp_path / "root"
    suite.run_notebooks([notebook], {notebook: {"total": 110}}, output_root=root,
                        reports_dir=tmp_path / "reports", progress=False, fresh=True)
    assert (root / "data/processed/total.txt").read_text(encoding="utf-8") == "110"
    assert (tmp_path / "reports/01_tiny.html").is_file()
    manifest = suite.read_manifest(root / paths.MANIFEST_PATH.name)
    assert list(manifest) == ["data/processed/total.txt"]
    assert suite.compare(manifest, suite.output_checksums(root)).clean


def test_failing_notebook_names_cell_and_error_and_keeps_good_outputs(tmp_path, notebook, run_cli):
    root = tmp_path / "root"
    good = root / "data/processed/total.txt"
    good.parent.mkdir(parents=True)
    good.write_text("726", encoding="utf-8")
    with pytest.raises(BrandrepError) as caught:
        suite.run_notebooks([notebook], {notebook: {"total": -1}}, output_root=root,
                            reports_dir=tmp_path / "reports", progress=False)
    message = str(caught.value)
    assert "01_tiny.ipynb" in message and "cell" in message and "ValueError: total must be >= 0, got -1" in message
    # the notebook wrote "-1" before raising; the staged write must not reach the real outputs
    assert good.read_text(encoding="utf-8") == "726"
    assert (tmp_path / "reports/01_tiny.html").is_file()


def test_failing_notebook_from_the_command_line_is_one_message(tmp_path, notebook, run_cli):
    result = run_cli("run", notebook, "-p", "total", "-1", "--reports", tmp_path / "reports", "--no-progress")
    assert result.returncode == 1
    assert "01_tiny.ipynb failed in cell" in result.stderr and "ValueError" in result.stderr
    assert "Traceback (most recent call last)" not in result.stderr


@pytest.fixture
def verified_copy(tmp_path):
    """A checkout-shaped folder with outputs and their manifest, for `verify` to inspect."""
    root = tmp_path / "checkout"
    for folder in ("data/raw", "notebooks", "data/processed", "figures"):
        (root / folder).mkdir(parents=True)
    (root / "data/processed/complaints.csv").write_text("brand,complaints\nxiaomi,110\n", encoding="utf-8")
    (root / "figures/funnel_en.svg").write_text("<svg/>", encoding="utf-8")
    suite.write_manifest(root, root / paths.MANIFEST_PATH.name)
    return root


def test_verify_passes_on_matching_outputs(run_cli, verified_copy):
    result = run_cli("verify", env={paths.PROJECT_ROOT_ENV: str(verified_copy)})
    assert result.returncode == 0, result.stderr
    assert "2 files" in result.stdout


def test_verify_names_every_drifted_missing_and_unexpected_file(run_cli, verified_copy):
    (verified_copy / "data/processed/complaints.csv").write_text("brand,complaints\nxiaomi,111\n", encoding="utf-8")
    (verified_copy / "figures/funnel_en.svg").unlink()
    (verified_copy / "figures/extra.png").write_bytes(b"\x89PNG")
    result = run_cli("verify", env={paths.PROJECT_ROOT_ENV: str(verified_copy)})
    assert result.returncode == 1
    assert "drifted: data/processed/complaints.csv" in result.stderr
    assert "missing: figures/funnel_en.svg" in result.stderr
    assert "unexpected: figures/extra.png" in result.stderr


def test_verify_without_manifest_says_how_to_make_one(run_cli, verified_copy):
    (verified_copy / paths.MANIFEST_PATH.name).unlink()
    result = run_cli("verify", env={paths.PROJECT_ROOT_ENV: str(verified_copy)})
    assert result.returncode == 1 and "brandrep run" in result.stderr


def test_bool_parameters_reject_nonsense(tmp_path):
    nb = tmp_path / "02_flags.ipynb"
    make_notebook(nb, "pass")
    flag = suite.Parameter("dry_run", False)
    assert suite.coerce_parameter(nb, flag, "true") is True
    with pytest.raises(ParameterError, match="'dry_run' expects bool"):
        suite.coerce_parameter(nb, flag, "perhaps")


def test_run_into_another_folder_starts_from_the_checkouts_outputs_and_leaves_them_alone(tmp_path):
    notebook = make_notebook(tmp_path / "03_reads_01.ipynb", """
from brandrep import paths
assert (paths.processed_dir() / "complaints.parquet").is_file(), "notebook 01's table is not there"
(paths.processed_dir() / "explored.txt").write_text(brand, encoding="utf-8")
""")
    before = suite.output_checksums(paths.PROJECT_ROOT)
    elsewhere = tmp_path / "explore"
    suite.run_notebooks([notebook], {notebook: {"brand": "midea"}}, output_root=elsewhere,
                        reports_dir=tmp_path / "reports", progress=False, html=False)
    assert (elsewhere / "data/processed/explored.txt").read_text(encoding="utf-8") == "midea"
    assert (elsewhere / "data/processed/complaints.parquet").is_file()
    assert suite.output_checksums(paths.PROJECT_ROOT) == before


def test_path_parameters_are_taken_relative_to_where_the_command_was_typed(tmp_path, monkeypatch):
    from brandrep.commands.run import _absolute_if_path

    monkeypatch.chdir(tmp_path)
    assert _absolute_if_path("complaints_path", "mine.csv") == ("complaints_path", str(tmp_path / "mine.csv"))
    assert _absolute_if_path("complaints_path", "") == ("complaints_path", "")
    assert _absolute_if_path("brand", "mine.csv") == ("brand", "mine.csv")


def test_brand_parameter_accepts_any_alias(tmp_path):
    notebook = make_notebook(tmp_path / "03_x.ipynb", "pass")
    for typed in ("小米", "Xiaomi", "MI"):
        assert suite.parameters_for([notebook], [("brand", typed)])[notebook]["brand"] == "xiaomi"
    assert suite.parameters_for([notebook], [("brand", "Zorblax")])[notebook]["brand"] == "Zorblax"


def test_run_help_lists_every_notebook_parameter(capsys):
    from brandrep.cli import main

    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    for notebook in suite.suite_notebooks():
        assert notebook.stem in out
        for name in suite.declared_parameters(notebook):
            assert f"    {name} (" in out
    assert "complaints_path (str, default '')" in out


def test_run_refuses_a_pair_out_of_sync(tmp_path, monkeypatch, capsys):
    import shutil

    from brandrep.cli import main

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for suffix in (".py", ".ipynb"):
        shutil.copy(paths.NOTEBOOKS_DIR / f"04_charts{suffix}", notebooks / f"04_charts{suffix}")
    suite.check_pair_in_sync(notebooks / "04_charts.ipynb")  # a synced pair passes
    script = notebooks / "04_charts.py"
    script.write_text(script.read_text(encoding="utf-8") + "\n# %%\nprint('edited')\n", encoding="utf-8")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", notebooks)
    assert main(["run", "04", "--output", str(tmp_path / "out")]) != 0
    assert "04_charts.py and 04_charts.ipynb differ" in capsys.readouterr().err


def test_make_all_and_lab_targets():
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    rule = next(line for line in makefile.splitlines() if line.startswith("outputs.sha256:"))
    assert "notebooks/*.py" in rule  # editing the .py of a pair reruns the suite
    assert "$(LAB_ARGS)" in makefile and "--allow-root" in makefile


def test_notebook_refusing_its_input_exits_2(tmp_path):
    body = "from brandrep.errors import InputError\nraise InputError('no usable row', path='mine.csv')"
    notebook = make_notebook(tmp_path / "01_refuses.ipynb", body)
    with pytest.raises(BrandrepError) as caught:
        suite.run_notebooks([notebook], output_root=tmp_path / "root", reports_dir=tmp_path / "reports",
                            html=False, progress=False)
    assert caught.value.exit_code == 2 and "file mine.csv: no usable row" in str(caught.value)
