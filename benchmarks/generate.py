"""Write synthetic but realistic cooperation facts in the project's own YAML format.

    python benchmarks/generate.py --facts 100000 --seed 1 --out /tmp/facts
    coopgraph build --data /tmp/facts --out /tmp/facts-build

N countries, their regions or provinces, cities and districts, organisations,
twinning links between places of different countries, joint centres,
investments, agreements and events; every record has an English name (some
also `ru` / `zh` and `alt` spellings) and cites lines of a few generated
SourceDocument records. `--facts` is the number of records in all. The output
is deterministic for a (facts, seed) pair, split at 50,000 records per file,
and written as text (no yaml.dump), so 10^6 records take seconds. It also
writes `generated.json` (counts and sample names) beside the YAML; the build
reads only .yaml/.ttl files.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import time
from pathlib import Path

RECORDS_PER_FILE = 50_000
LINES_PER_DOCUMENT = 2_000_000
SUMMARY = "generated.json"

# Shares of --facts per kind (countries and documents come first and are few).
SHARES = {
    "region": 0.03,
    "city": 0.08,
    "district": 0.07,
    "organization": 0.22,
    "twinning": 0.25,
    "center": 0.07,
    "investment": 0.10,
    "agreement": 0.09,
    "event": 0.09,
}
FOLDER = {
    "country": "places",
    "region": "places",
    "city": "places",
    "district": "places",
    "organization": "organizations",
    "twinning": "twinning",
    "center": "centers",
    "investment": "investments",
    "agreement": "agreements",
    "event": "events",
}

CONSONANTS = "bdgklmnprstvz"
VOWELS = "aeiou"
CYRILLIC = dict(zip(CONSONANTS + VOWELS, "бдгклмнпрствзаеиоу", strict=True))
HANZI = (
    "巴贝比波布达德迪多杜加格吉戈古卡克基科库拉莱利洛卢马梅米莫穆纳内尼"
    "诺努帕佩皮坡普腊雷里罗鲁萨塞西索苏塔特蒂托图瓦韦维沃武扎泽齐佐祖"
)
SYLLABLES = [c + v for c in CONSONANTS for v in VOWELS]
SYLLABLE_HANZI = dict(zip(SYLLABLES, HANZI, strict=True))

STATUS_LINK = ["signed"] * 5 + ["memorandum", "intention", "planned", "under-discussion", "agreed"]
LINK_KINDS = ["twinning", "friendship", "partnership", "cooperation"]
DOCUMENT_KINDS = ["agreement", "memorandum", "protocol", "intention", "plan", "programme", "contract", "declaration"]
CURRENCIES = ["USD", "CNY", "EUR", "BYN", "RUB"]
TOPICS = [
    "trade", "education", "tourism", "agriculture", "photonics", "biotechnology", "logistics", "culture",
    "healthcare", "machine building", "information technology", "energy", "food processing", "chemistry",
]  # fmt: skip
CENTER_TYPES = ["JointCenter", "JointLaboratory", "ResearchCenter", "EducationCenter", "StudyCenter", "JointInstitute"]
CENTER_WORDS = {
    "JointCenter": "Joint Centre",
    "JointLaboratory": "Joint Laboratory",
    "ResearchCenter": "Research Centre",
    "EducationCenter": "Education Centre",
    "StudyCenter": "Study Centre",
    "JointInstitute": "Joint Institute",
}
ORGANIZATIONS = [  # (type, weight, name pattern)
    ("University", 15, "{S} State University"),
    ("Academy", 2, "{S} Academy of Sciences"),
    ("ResearchInstitute", 8, "{S} Research Institute of {T}"),
    ("Company", 25, "{S} Machine-Building Plant"),
    ("Company", 10, "{S} Trading Co., Ltd."),
    ("Company", 10, 'OJSC "{S} Glass"'),
    ("Park", 5, "{S} Industrial Park"),
    ("Fund", 3, "{S} Innovation Fund"),
    ("Ministry", 2, "Ministry of {T} of {S}"),
    ("Authority", 5, "{S} People's Committee"),
    ("Media", 5, "{S} Daily News"),
    ("Association", 10, "{S} Chamber of Commerce & Industry"),
]
ORG_CHOICES = [o for o in ORGANIZATIONS for _ in range(o[1])]
RUSSIAN_KIND = {"University": "государственный университет", "Company": "завод", "Park": "индустриальный парк"}
EVENT_NOTE = 'note: "Held on the sidelines of a regional forum; the \\"first\\" of its kind,\\nper the digest."'


def counts(facts: int) -> dict[str, int]:
    """Records per kind: a few documents and countries, the rest by SHARES; they sum to `facts`."""
    if facts < 100:
        raise ValueError("--facts must be at least 100")
    out = {"document": max(1, min(10, facts // 100_000)), "country": max(2, min(200, int(math.sqrt(facts) / 4)))}
    out |= {k: max(2 * out["country"] if k == "region" else 1, int(facts * s)) for k, s in SHARES.items()}
    out["twinning"] += facts - sum(out.values())
    return out


def stem(k: int) -> str:
    """A pronounceable word, different for every k (CV syllables in bijective base 65, two at least)."""
    k += len(SYLLABLES) + 1
    parts = []
    while k:
        k, r = divmod(k - 1, len(SYLLABLES))
        parts.append(SYLLABLES[r])
    return "".join(reversed(parts))


def cyrillic(word: str) -> str:
    return "".join(CYRILLIC[c] for c in word).capitalize()


def hanzi(word: str) -> str:
    return "".join(SYLLABLE_HANZI[word[i : i + 2]] for i in range(0, len(word), 2))


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def qlist(items: list[str]) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


class Generator:
    def __init__(self, facts: int, seed: int):
        self.n = counts(facts)
        self.rng = random.Random(seed)
        self.next_stem = 0
        self.docs = [f"synthetic-{i:03d}.txt" for i in range(self.n["document"])]
        # Citations start on one line in twenty per record, so facts share lines as in a real digest.
        self.cite_lines = max(10, min(LINES_PER_DOCUMENT - 5, facts // (20 * len(self.docs))))
        self.records: dict[str, list[str]] = {k: [] for k in ["document", *FOLDER]}
        self.places: list[tuple[str, int, str]] = []  # (id, country index, English name)
        self.cities: list[tuple[str, int, str]] = []
        self.orgs: list[tuple[str, int, str]] = []
        self.sample: dict[str, str] = {}  # English names, and ids, of a region, a city, an organisation
        self.sample_ids: dict[str, str] = {}

    def word(self) -> str:
        self.next_stem += 1
        return stem(self.next_stem)

    def source(self) -> str:
        r = self.rng
        doc = self.docs[r.randrange(len(self.docs))]
        start = r.randint(1, self.cite_lines)
        one = f"{doc}#L{start}" if r.random() < 0.6 else f"{doc}#L{start}-L{start + r.randint(1, 4)}"
        return one if r.random() < 0.85 else f"[{one}, {doc}#L{r.randint(1, self.cite_lines)}]"

    def date(self) -> str:
        r = self.rng
        year, kind = r.randint(1995, 2024), r.randrange(3)
        return f"{year}" if kind == 0 else f"{year}-{r.randint(1, 12):02d}" + (f"-{r.randint(1, 28):02d}" * (kind == 2))

    def add(self, kind: str, rid: str, cls: str, name: str, *lines: str) -> None:
        body = "".join(f"  {line}\n" for line in lines if line)
        self.records[kind].append(f"- id: {rid}\n  type: {cls}\n  name: {q(name)}\n{body}  source: {self.source()}\n")

    def build(self) -> None:
        for i, doc in enumerate(self.docs):
            self.records["document"].append(
                f"- id: synthetic-document-{i:03d}\n  type: SourceDocument\n  fileName: {doc}\n"
                f"  lineCount: {LINES_PER_DOCUMENT}\n  name: {q(f'Synthetic cooperation digest, volume {i + 1}')}\n"
                f"  source: {doc}#L1-L3\n"
            )
        self.places_and_organizations()
        self.cooperation()

    def places_and_organizations(self) -> None:
        r, n = self.rng, self.n
        countries = []
        for _ in range(n["country"]):
            w = self.word()
            name = w.capitalize() + "nia"
            self.add("country", f"{w}nia", "Country", name, f"alt: {qlist([f'Republic of {name}'])}",
                     f"ru: {q(cyrillic(w) + 'ния')}", f"zh: {q(hanzi(w) + '国')}")  # fmt: skip
            countries.append(f"{w}nia")
        regions = []
        for i in range(n["region"]):
            c = i % n["country"]
            w = self.word()
            province = c % 2 == 1
            cls = ("Municipality" if i % 10 == 9 else "Province") if province else "Region"
            name = f"{w.capitalize()} {cls}"
            extra = (
                [f"alt: {qlist([f'{w.capitalize()} Sheng'])}", f"zh: {q(hanzi(w) + '省')}"]
                if province
                else [f"alt: {qlist([f'{w.capitalize()} Oblast', f'{w.capitalize()}skaya oblast'])}"]
            )
            self.add("region", f"{w}-{cls.lower()}", cls, name, f"ru: {q(cyrillic(w) + 'ская область')}",
                     *extra, f"locatedIn: {countries[c]}")  # fmt: skip
            regions.append((f"{w}-{cls.lower()}", c, w))
            self.places.append((f"{w}-{cls.lower()}", c, name))
        self.sample["region"], self.sample_ids["region"] = self.places[0][2], self.places[0][0]
        for i in range(n["city"]):
            region, c, capital = regions[i % len(regions)] if i < len(regions) else r.choice(regions)
            w = capital if i < len(regions) else self.word()  # the region's capital shares its name
            name = w.capitalize()
            alt = f"alt: {qlist([name.replace('o', 'a', 1) + 'v'])}" if r.random() < 0.3 else ""
            ru = f"ru: {q(cyrillic(w))}" if r.random() < 0.6 else ""
            zh = f"zh: {q(hanzi(w) + '市')}" if c % 2 == 1 and r.random() < 0.8 else ""
            cid = f"{w}-city"
            self.add("city", cid, "City", name, alt, ru, zh, f"locatedIn: {region}")
            self.cities.append((cid, c, name))
            self.places.append((cid, c, name))
        self.sample["city"], self.sample_ids["city"] = self.cities[0][2], self.cities[0][0]
        for _ in range(n["district"]):
            city, c, _city_name = r.choice(self.cities)
            w = self.word()
            ru = f"ru: {q(cyrillic(w) + 'ский район')}" if r.random() < 0.5 else ""
            self.add("district", f"{w}-district", "District", f"{w.capitalize()} District",
                     f"alt: {qlist([f'{w.capitalize()} raion'])}", ru, f"locatedIn: {city}")  # fmt: skip
            self.places.append((f"{w}-district", c, f"{w.capitalize()} District"))
        for _ in range(n["organization"]):
            cls, _, pattern = r.choice(ORG_CHOICES)
            city, c, _city_name = r.choice(self.cities)
            w = self.word()
            name = pattern.format(S=w.capitalize(), T=r.choice(TOPICS))
            where = f"locatedIn: {city}" if r.random() < 0.9 else f"country: {countries[c]}"
            ru = f"ru: {q(cyrillic(w) + ' ' + RUSSIAN_KIND[cls])}" if cls in RUSSIAN_KIND and r.random() < 0.3 else ""
            self.add("organization", f"{w}-{cls.lower()}", cls, name, ru, where)
            self.orgs.append((f"{w}-{cls.lower()}", c, name))
        self.sample["organization"], self.sample_ids["organization"] = self.orgs[0][2], self.orgs[0][0]

    def pair(self, pool: list[tuple[str, int, str]]) -> tuple[tuple[str, int, str], tuple[str, int, str]]:
        """Two members of pool from different countries (bounded retries, then any other country)."""
        a = self.rng.choice(pool)
        for _ in range(20):
            b = self.rng.choice(pool)
            if b[1] != a[1]:
                return a, b
        return a, next(p for p in pool if p[1] != a[1])

    def cooperation(self) -> None:
        r, n = self.rng, self.n
        anchors = [p for p in self.places if p[1] == 1][:3]  # the sample region partners with provinces
        for i in range(n["twinning"]):
            a, b = (self.places[0], anchors[i]) if i < len(anchors) else self.pair(self.places)
            kind, status = r.choice(LINK_KINDS), r.choice(STATUS_LINK)
            doc = f"documentKind: {r.choice(DOCUMENT_KINDS[:4])}" if r.random() < 0.5 else ""
            date = f"date: {self.date()}" if r.random() < 0.8 else ""
            self.add("twinning", f"twinning-{i}", "Twinning", f"{a[2]} – {b[2]} {kind} agreement",
                     f"participant: [{a[0]}, {b[0]}]", f"linkKind: {kind}", f"status: {status}", doc, date,
                     f"topic: {qlist(r.sample(TOPICS, 2))}")  # fmt: skip
        by_country: dict[int, list] = {}
        for city in self.cities:
            by_country.setdefault(city[1], []).append(city)
        for i in range(n["center"]):
            host, partner = self.pair(self.orgs)
            cls, topic = r.choice(CENTER_TYPES), r.choice(TOPICS)
            city = r.choice(by_country.get(host[1]) or self.cities)
            self.add("center", f"center-{i}", cls, f"{host[2]} – {partner[2]} {CENTER_WORDS[cls]} of {topic}",
                     f"host: {host[0]}", f"participant: [{host[0]}, {partner[0]}]", f"locatedIn: {city[0]}",
                     f"sector: {q(topic)}", f"status: {r.choice(['opened', 'operating', 'planned', 'agreed'])}",
                     f"date: {self.date()}" if r.random() < 0.7 else "")  # fmt: skip
        for i in range(n["investment"]):
            investor, recipient = self.pair(self.orgs)
            cls = r.choice(["Investment"] * 6 + ["JointVenture"] * 3 + ["Loan"])
            amount = r.choice([f"{r.randint(1, 900) * 100_000}", f"{r.randint(1, 99_999)}.{r.randint(1, 99):02d}"])
            sector = r.choice(TOPICS)
            self.add("investment", f"investment-{i}", cls, f"{investor[2]} {cls.lower()} in {recipient[2]}",
                     f"investor: {investor[0]}", f"recipient: {recipient[0]}", f"amount: {amount}",
                     f"currency: {r.choice(CURRENCIES)}", f"sector: {q(sector)}",
                     f"status: {r.choice(['signed', 'completed', 'planned', 'under-discussion'])}",
                     f"date: {self.date()}")  # fmt: skip
        for i in range(n["agreement"]):
            a, b = self.pair(self.orgs if r.random() < 0.7 else self.places)
            kind, topic = r.choice(DOCUMENT_KINDS), r.choice(TOPICS)
            self.add("agreement", f"agreement-{i}", "Agreement", f"{a[2]} – {b[2]} {kind} on {topic}",
                     f"participant: [{a[0]}, {b[0]}]", f"documentKind: {kind}",
                     f"status: {r.choice(['signed', 'memorandum', 'intention', 'agreed'])}", f"date: {self.date()}",
                     f"topic: {qlist([topic])}")  # fmt: skip
        for i in range(n["event"]):
            a, b = self.pair(self.orgs)
            city, topic, date = r.choice(self.cities), r.choice(TOPICS), self.date()
            self.add("event", f"event-{i}", "Event", f"{topic.capitalize()} forum in {city[2]}, {date[:4]}",
                     f"participant: [{a[0]}, {b[0]}]", f"locatedIn: {city[0]}", "status: held", f"date: {date}",
                     EVENT_NOTE if r.random() < 0.1 else "")  # fmt: skip

    def write(self, out: Path) -> list[Path]:
        written = [out / "sources.yaml"]
        written[0].write_text("".join(self.records["document"]), encoding="utf-8")
        for kind, folder in FOLDER.items():
            recs = self.records[kind]
            (out / folder).mkdir(exist_ok=True)
            for part, start in enumerate(range(0, len(recs), RECORDS_PER_FILE)):
                path = out / folder / f"{kind}-{part:03d}.yaml"
                path.write_text(f"# {kind}: generated\n" + "".join(recs[start : start + RECORDS_PER_FILE]), "utf-8")
                written.append(path)
        return written


def generate(out: Path, facts: int, seed: int = 1) -> dict:
    """Write the facts into `out` (emptied first if it holds an earlier generation); returns the summary."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not (out / SUMMARY).exists():
            raise SystemExit(f"error: {out}: not empty and not written by generate.py; refusing to overwrite")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    gen = Generator(facts, seed)
    gen.build()
    files = gen.write(out)
    summary = {
        "facts": sum(len(v) for v in gen.records.values()),
        "seed": seed,
        "counts": {k: len(v) for k, v in gen.records.items()},
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "sample": gen.sample,
        "sample_ids": gen.sample_ids,
    }
    (out / SUMMARY).write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary | {"seconds": round(time.perf_counter() - started, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1000, help="records in all (10^3 .. 10^6)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to write (emptied if generated before)")
    args = parser.parse_args()
    s = generate(args.out, args.facts, args.seed)
    print(f"wrote {s['facts']} records in {s['files']} files ({s['bytes'] / 1e6:.1f} MB) in {s['seconds']:.2f} s")


if __name__ == "__main__":
    main()
