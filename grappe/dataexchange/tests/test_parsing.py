import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from grappe.dataexchange.parsing import (
    FileError,
    clean_text,
    digits_padded,
    normalise_header,
    parse_bool,
    parse_decimal,
    parse_int,
    read_upload,
    sniff_delimiter,
    split_list,
)


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_with_bom_and_commas():
    # given a UTF-8 CSV with a BOM, as Excel saves "CSV UTF-8"
    content = "\ufeffname,city\nLumière,Marseille\n".encode()
    # when read
    parsed = read_upload("orgs.csv", content)
    # then the BOM is not part of the first column name and accents are kept
    assert parsed.header == ["name", "city"]
    assert parsed.rows == [(2, {"name": "Lumière", "city": "Marseille"})]


def test_french_excel_csv_semicolons_and_windows_1252():
    # given a CSV from French Excel: semicolons, Windows-1252, decimal commas
    content = "Nom;Région;Chiffre d'affaires\r\nÉclat;FRL0;1 234,50\r\n".encode("cp1252")
    # when read
    parsed = read_upload("export.csv", content)
    # then the separator is sniffed and accents decoded
    assert parsed.header == ["nom", "region", "chiffre_d_affaires"]
    assert parsed.rows == [
        (2, {"nom": "Éclat", "region": "FRL0", "chiffre_d_affaires": "1 234,50"})
    ]
    assert parse_decimal(parsed.rows[0][1]["chiffre_d_affaires"]) == Decimal("1234.50")


def test_row_numbers_are_those_of_the_spreadsheet():
    # given empty lines and a cell on two lines
    content = b'name,description\nA,"two\nlines"\n,\nB,x\n'
    parsed = read_upload("x.csv", content)
    # then empty rows are skipped but counted, a quoted line break stays in its row
    assert parsed.rows == [
        (2, {"name": "A", "description": "two\nlines"}),
        (4, {"name": "B", "description": "x"}),
    ]


def test_xlsx_values_become_text():
    # given a workbook with numbers, a date, a boolean and an empty row
    content = xlsx(
        [
            ["SIRET", "Turnover", "Export share", "Founded", "Member"],
            [12345678200002, 3200000.0, 45.5, dt.datetime(2012, 5, 1), True],
            [None, None, None, None, None],
            ["12345678200002", 0.1, None, None, False],
        ]
    )
    parsed = read_upload("orgs.xlsx", content)
    assert parsed.header == ["siret", "turnover", "export_share", "founded", "member"]
    assert parsed.rows == [
        (2, {"siret": "12345678200002", "turnover": "3200000", "export_share": "45.5", "founded": "2012-05-01", "member": "yes"}),
        (4, {"siret": "12345678200002", "turnover": "0.1", "export_share": "", "founded": "", "member": "no"}),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("orgs.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file."),
        ("orgs.csv", b"", "The file is empty: the first row must hold the column names."),
        ("orgs.xlsx", b"PK\x03\x04 not really a zip", "The file is not a readable XLSX workbook."),
        ("orgs.csv", b"name,city,name\nA,B,C\n", "These columns appear twice: name."),
        (
            "orgs.csv",
            ",".join(f"c{i}" for i in range(101)).encode(),
            "The file has more than 100 columns.",
        ),
    ],
)
def test_unusable_files_are_refused_with_a_reason(name, content, message):
    with pytest.raises(FileError) as error:
        read_upload(name, content)
    assert str(error.value) == message


def test_too_many_rows_are_refused():
    content = ("name\n" + "x\n" * 5001).encode()
    with pytest.raises(FileError) as error:
        read_upload("big.csv", content)
    assert str(error.value) == "The file has more than 5000 rows: split it."


def test_sniff_delimiter():
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter("a,b,c") == ","
    assert sniff_delimiter("a\tb\tc") == "\t"
    assert sniff_delimiter('"x;y",b,c') == ","
    assert sniff_delimiter("name") == ","


def test_header_names_are_normalised():
    assert normalise_header(" Région ") == "region"
    assert normalise_header("Figures Year") == "figures_year"
    assert normalise_header("E-mail") == "email"
    assert normalise_header("Organisation") == "organisations"


def test_values_out_of_text():
    assert clean_text("  '=SUM(A1)  ") == "=SUM(A1)"
    assert clean_text("'+33 4 91 00 00 00") == "+33 4 91 00 00 00"
    assert clean_text("l'Optique") == "l'Optique"
    assert clean_text("'") == "'"
    assert parse_decimal("1,234,567.89") == Decimal("1234567.89")
    assert parse_decimal("1.234.567,89") == Decimal("1234567.89")
    assert parse_decimal("45 %") == Decimal(45)
    assert parse_decimal("3\u202f200\u00a0000 €") == Decimal(3200000)
    with pytest.raises(ValueError):
        parse_decimal("abc")
    with pytest.raises(ValueError):
        parse_decimal("NaN")
    assert parse_int("25,0") == 25
    with pytest.raises(ValueError):
        parse_int("25,5")
    assert parse_bool("Oui") is True
    assert parse_bool("non") is False
    with pytest.raises(ValueError):
        parse_bool("maybe")
    assert split_list("a; b;;c,d") == ["a", "b", "c", "d"]
    assert digits_padded("2345678200002", 14) == "02345678200002"
    assert digits_padded("123 456 782 00002", 14) == "12345678200002"
    assert digits_padded("lumiere", 14) == "LUMIERE"
