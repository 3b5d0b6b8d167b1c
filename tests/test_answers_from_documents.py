"""The canned questions on the bundled data, checked against what the documents say.

Each expectation cites the line of 002_e84c28b6cbc4fd91.txt (Zalessky) that states it.
"""

from __future__ import annotations

import pytest


def links(rows) -> set[tuple[str, str, str, str]]:
    return {(r["province"], r["partner"], r["via"], r["status"]) for r in rows}


DOCUMENTED = {
    # city of Brest: twinned with Xiaogan, Hubei (L359); intention with Baiyin, Gansu (L291)
    "Brest": {("Hubei", "Xiaogan", "Brest", "signed"), ("Gansu", "Baiyin", "Brest", "intention")},
    # the region adds Baranovichi–Chibi (L359), Pinsk–Xiangyang 2017 (L359), Anhui intention 2016 (L369),
    # Henan agreement planned (L379)
    "Brest Region": {
        ("Hubei", "Xiaogan", "Brest", "signed"),
        ("Hubei", "Chibi", "Baranovichi", "signed"),
        ("Hubei", "Xiangyang", "Pinsk", "signed"),
        ("Anhui", "Anhui", "Brest Region", "intention"),
        ("Henan", "Henan", "Brest Region", "planned"),
        ("Gansu", "Baiyin", "Brest", "intention"),
    },
    # Grodno and Longnan, Gansu, May 2015 (L291); the region and Gansu, 2007 (L265)
    "Grodno": {("Gansu", "Longnan", "Grodno", "signed")},
    "Grodno Region": {("Gansu", "Gansu", "Grodno Region", "signed"), ("Gansu", "Longnan", "Grodno", "signed")},
    # Mogilev Region and Jiangsu, May 2015 (L303); Mogilev and Nanjing twins (L333); Hunan (L391-L405)
    "Mogilev": {("Jiangsu", "Nanjing", "Mogilev", "signed")},
    "Mogilev Region": {
        ("Jiangsu", "Jiangsu", "Mogilev Region", "signed"),
        ("Jiangsu", "Nanjing", "Mogilev", "signed"),
        ("Hunan", "Hunan", "Mogilev Region", "signed"),
        ("Hunan", "Hunan", "Mogilev Region", "memorandum"),
    },
    # Gomel Region and Jiangsu, 2016; Mozyr–Xuzhou and Zhlobin–Lianyungang (L313)
    "Gomel Region": {
        ("Jiangsu", "Jiangsu", "Gomel Region", "signed"),
        ("Jiangsu", "Xuzhou", "Mozyr District", "signed"),
        ("Jiangsu", "Lianyungang", "Zhlobin District", "signed"),
    },
    # Minsk: Shanghai intention Nov 2018 (L473); Changchun, Beijing, Shenzhen, Shenyang (L481);
    # Frunzensky district – Jilin city, Sep 2018 (L493)
    "Minsk": {
        ("Shanghai", "Shanghai", "Minsk", "intention"),
        ("Jilin", "Changchun", "Minsk", "signed"),
        ("Beijing", "Beijing", "Minsk", "signed"),
        ("Guangdong", "Shenzhen", "Minsk", "signed"),
        ("Liaoning", "Shenyang", "Minsk", "signed"),
    },
    # Minsk Region and Zhejiang, May 2015 (L501); Slutsk–Wuwei 2000 (L291); Borisov–Ningbo Nov 2018 (L527)
    "Minsk Region": {
        ("Zhejiang", "Zhejiang", "Minsk Region", "signed"),
        ("Gansu", "Wuwei", "Slutsk", "signed"),
        ("Zhejiang", "Ningbo", "Borisov", "signed"),
    },
}


@pytest.mark.parametrize("place", sorted(DOCUMENTED))
def test_provinces_partnering_with(ask, place):
    rows = ask("provinces-partnering-with", place=place)
    assert DOCUMENTED[place] <= links(rows)
    for r in rows:
        assert r["sources"], r
        assert all(s.startswith(("00", "0")) and "#L" in s for s in r["sources"])


def test_city_of_brest_has_only_its_own_links(ask):
    """The city is not the region: Pinsk's and Baranovichi's links stay out."""
    rows = ask("provinces-partnering-with", place="Brest")
    assert {r["via"] for r in rows} == {"Brest"}
    assert {r["province"] for r in rows} == {"Hubei", "Gansu"}


def test_region_rows_say_which_place_holds_the_link(ask):
    vias = {r["via"] for r in ask("provinces-partnering-with", place="Brest Region")}
    assert {"Brest", "Baranovichi", "Pinsk", "Brest Region"} <= vias


def test_pinsk_xiangyang_is_dated_april_2017(ask):
    rows = [r for r in ask("provinces-partnering-with", place="Pinsk") if r["partner"] == "Xiangyang"]
    assert [r["since"] for r in rows] == ["2017-04"]
    assert "002_e84c28b6cbc4fd91.txt#L359" in rows[0]["sources"] or any("L36" in s for s in rows[0]["sources"])


def test_partners_filter_on_status(ask):
    everything = ask("partners-of", place="Brest Region")
    signed = ask("partners-of", place="Brest Region", status="signed")
    assert signed and len(signed) < len(everything)
    assert {r["status"] for r in signed} == {"signed"}


def test_partners_show_partner_kind_and_region(ask):
    rows = {r["partner"]: r for r in ask("partners-of", place="Brest")}
    assert rows["Xiaogan"]["partnerKind"] == "City"
    assert rows["Xiaogan"]["partnerRegion"] == "Hubei"
    assert rows["Xiaogan"]["link"] == "twinning"


def test_minsk_and_minsk_region_are_among_the_most_connected(ask):
    top = [r["actor"] for r in ask("actors-by-degree", type="Place", limit="10")]
    assert "Minsk" in top and "Belarus" in top


def test_timeline_is_by_year_and_dated(ask):
    rows = ask("cooperation-timeline", place="Minsk Region")
    years = [r["year"] for r in rows]
    assert years == sorted(years)
    assert any(r["cooperation"] and r["date"].startswith("2015") for r in rows)


def test_centres_of_minsk_have_hosts_and_sources(ask):
    rows = ask("joint-centers-in", place="Minsk")
    assert len(rows) >= 3
    assert all(r["sources"] for r in rows)
    assert all(r["city"] in ("Minsk", "") for r in rows)


def test_investments_keep_amount_and_currency_as_stated(ask):
    rows = [r for r in ask("investments-by") if r["amount"] is not None]
    assert rows
    assert all(r["currency"] for r in rows)


def test_vitebsk_region_is_known_but_the_documents_name_no_partner(ask):
    """003 L38 counts six regions with Chinese twins, but no document names Vitebsk's."""
    assert ask("partners-of", place="Vitebsk Region") == []
    assert ask("partners-of", place="Viciebsk Region") == []
