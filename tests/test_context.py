"""PCI, population and GRDP beside PAPI: carried into data/raw/ cell by cell, refused when malformed."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from papi_analysis.data import context, readers


def test_raw_context_equals_a_fresh_read_of_the_workbook(sources_dir):
    fresh = context.read_provincial_panel(sources_dir / context.SOURCE)
    stored = context.load_context()
    pd.testing.assert_frame_equal(
        stored[["year", "province_code", "variable", "value"]],
        fresh[["year", "province_code", "variable", "value"]],
        check_dtype=False,
    )


def test_every_province_every_year_once():
    wide = context.context_wide(["PCI", "TotalPOP"])
    assert wide.groupby("year")["province_code"].nunique().eq(63).all()
    assert sorted(wide["year"].unique()) == list(context.YEARS)
    assert wide["TotalPOP"].notna().all()  # population weights need every province-year


def test_unknown_variable_is_refused():
    with pytest.raises(ValueError, match="Unknown context variable"):
        context.load_context(["PCI11"])


def test_malformed_workbook_names_file_and_row(tmp_path, sources_dir):
    wb = openpyxl.load_workbook(sources_dir / context.SOURCE)
    ws = wb.worksheets[0]
    ws["C5"] = "Atlantis"
    path = tmp_path / "bad_panel.xlsx"
    wb.save(path)
    with pytest.raises(readers.SourceFormatError, match=r"bad_panel.xlsx, sheet 'Sheet1', row 5"):
        context.read_provincial_panel(path)
