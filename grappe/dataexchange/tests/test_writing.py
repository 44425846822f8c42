import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from grappe.dataexchange.writing import csv_lines, csv_value, neutralise, xlsx_bytes

HOSTILE = '=HYPERLINK("http://evil.example","Cliquez")'


def test_text_that_a_spreadsheet_would_run_is_neutralised():
    for text in (HOSTILE, "+33 4 91", "-1", "@SUM(A1)", "|cmd", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Lumière") == "Lumière"
    assert neutralise("l'=x") == "l'=x"


def test_numbers_are_not_text_and_are_left_alone():
    assert csv_value(Decimal("-5.3698")) == "-5.3698"
    assert csv_value(Decimal("-5.3698"), decimal_comma=True) == "-5,3698"
    assert csv_value(-3) == "-3"
    assert csv_value("-3") == "'-3"
    assert csv_value(None) == ""
    assert csv_value(True) == "yes"


def test_csv_starts_with_a_bom_and_neutralises_formulas():
    # given rows with a formula-like name
    text = "".join(csv_lines([["name", "turnover"], [HOSTILE, Decimal("1234.50")]]))
    # then the file starts with a BOM and the formula is text
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["name", "turnover"], ["'" + HOSTILE, "1234.50"]]


def test_semicolon_csv_for_french_excel_uses_decimal_commas():
    text = "".join(csv_lines([["a", "b"], ["x;y", Decimal("1.5")]], delimiter=";"))
    assert text == '\ufeffa;b\r\n"x;y";1,5\r\n'


def test_xlsx_writes_formula_like_text_as_text():
    # given rows with a formula-like name
    content = xlsx_bytes([["name", "turnover"], [HOSTILE, Decimal("1234.50")]], "organisations")
    # then the cell is a string cell holding the text, never a formula
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "organisations"
    assert (sheet["A2"].value, sheet["A2"].data_type) == (HOSTILE, "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (1234.5, "n")
    assert sheet["A1"].font.bold is True
    assert sheet.freeze_panes == "A2"
