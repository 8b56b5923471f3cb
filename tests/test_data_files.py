"""Follow-up tables as analysts have them: Swedish Excel's CSV (semicolons, Windows-1252,
decimal commas) reads as the same table as the bundled comma-separated UTF-8 file."""

from __future__ import annotations

import pandas as pd
import pytest

import simpact as sp
from simpact.base.errors import DataError
from simpact.data import fingerprint, read_csv


def test_swedish_excel_csv_is_the_same_table(tmp_path, nata_spec):
    original = pd.read_csv(nata_spec.data_path)
    original = original.assign(
        skola="Ale gymnasium, Älvängen", andel=original["absent_days"] / original["days_enrolled"]
    )
    swedish = tmp_path / "uppföljning.csv"
    original.to_csv(swedish, sep=";", decimal=",", index=False, encoding="cp1252")
    table = sp.load_followup(swedish, spec=nata_spec)
    assert table.attrs["read_as"] == "semicolon-separated, Windows-1252, decimal comma"
    assert fingerprint(table) == fingerprint(original)


@pytest.mark.parametrize(
    ("sep", "decimal", "encoding", "said"),
    [
        (",", ".", "utf-8", "comma-separated, UTF-8, decimal point"),
        (";", ",", "utf-8-sig", "semicolon-separated, UTF-8, decimal comma"),
        (";", ".", "utf-8", "semicolon-separated, UTF-8, decimal point"),
        ("\t", ".", "cp1252", "tab-separated, Windows-1252, decimal point"),
    ],
)
def test_separator_decimal_and_encoding_are_detected(tmp_path, sep, decimal, encoding, said):
    frame = pd.DataFrame({"kommun": ["Ale", "Älvsborg"], "andel": [0.25, 1.5], "n": [3, 4]})
    path = tmp_path / "t.csv"
    frame.to_csv(path, sep=sep, decimal=decimal, index=False, encoding=encoding)
    read = read_csv(path)
    assert read.attrs["read_as"] == said
    pd.testing.assert_frame_equal(read, frame)


def test_a_workbook_sheet_is_read_by_name_and_never_guessed(tmp_path, nata_spec):
    original = pd.read_csv(nata_spec.data_path)
    book = tmp_path / "uppföljning.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"notes": ["read me"]}).to_excel(writer, sheet_name="Läs mig", index=False)
        original.to_excel(writer, sheet_name="Uppföljning", index=False)
    with pytest.raises(DataError, match=r"2 sheets .*Läs mig, Uppföljning.*--sheet"):
        sp.load_followup(book, spec=nata_spec)
    with pytest.raises(DataError, match="no sheet named 'Data'"):
        sp.load_followup(book, spec=nata_spec, sheet="Data")
    table = sp.load_followup(book, spec=nata_spec, sheet="Uppföljning")
    assert fingerprint(table) == fingerprint(original)
    in_spec = nata_spec.model_copy(
        update={"data": nata_spec.data.model_copy(update={"sheet": "Uppföljning"})}
    )
    assert fingerprint(sp.load_followup(book, spec=in_spec)) == fingerprint(original)
