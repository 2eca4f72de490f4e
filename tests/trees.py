"""Small hand-drawn anatomy fixtures, named for what they show, and ways to rewrite them.

Each fixture is a case dict in the hepatic-case/1 format. The rewrites produce the same
anatomy in other styles (abbreviations, unnamed vessels known only by territory, extra
unnamed pass-through branches, extra extrahepatic branches): the classification must
not change.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from anatomy.case import Case as ParsedCase
from anatomy.case import Tumor, parse_case
from anatomy.classification.annotate import Anatomy, annotate
from anatomy.classification.classify import Classification, classify
from anatomy.planning.plan import Plan, plan
from anatomy.planning.positions import Access

Case = dict[str, Any]


def parsed(source: Case | ParsedCase) -> ParsedCase:
    """A case dict validated (a parsed case is returned as it is)."""
    return source if isinstance(source, ParsedCase) else parse_case(source)


def annotated(source: Case | ParsedCase) -> Anatomy:
    """The spine's first stage for a test: parse, then annotate the tree."""
    return annotate(parsed(source).tree)


def classified(source: Case | ParsedCase) -> Classification:
    """Parse, annotate and classify."""
    return classify(annotated(source))


def planned(
    source: Case | ParsedCase, access: Access = "femoral", tumors: Sequence[Tumor] | None = None
) -> Plan:
    """Parse, annotate and plan the case's tumors (or ``tumors``)."""
    case = parsed(source)
    return plan(annotate(case.tree), case.tumors if tumors is None else tumors, access)


R = ["V", "VI", "VII", "VIII"]


def case(*vessels: tuple[str, str | None, str | None, list[str]], **extra: Any) -> Case:
    """Build a case from (id, kind, parent, supplies) tuples."""
    out = []
    for vid, kind, parent, supplies in vessels:
        item: dict[str, Any] = {"id": vid}
        if kind is not None:
            item["kind"] = kind
        if parent is not None:
            item["parent"] = parent
        if supplies:
            item["supplies"] = list(supplies)
        out.append(item)
    return {"vessels": out, **extra}


def _celiac(*, cha_parent: str = "ct") -> list[tuple[str, str | None, str | None, list[str]]]:
    return [
        ("ao", "aorta", None, []),
        ("ct", "celiac_trunk", "ao", []),
        ("lga", "left_gastric", "ct", []),
        ("spl", "splenic", "ct", []),
        ("sma", "superior_mesenteric", "ao", []),
        ("cha", "common_hepatic", cha_parent, []),
        ("gda", "gastroduodenal", "cha", []),
    ]


# Michels I: CHA -> GDA + PHA; PHA -> RHA + LHA; segment IV artery from the LHA.
TYPE_I = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", R),
    ("lha", "left_hepatic", "pha", ["II", "III"]),
    ("mha", "middle_hepatic", "lha", ["IV"]),
)
TYPE_II = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", R),
    ("mha", "middle_hepatic", "rha", ["IV"]),
    ("rlha", "replaced left hepatic artery", "lga", ["II", "III"]),
)
TYPE_III = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("rrha", "right_hepatic", "sma", R),
)
TYPE_IV = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", ["IV"]),
    ("rrha", "right_hepatic", "sma", R),
    ("rlha", "left_hepatic", "lga", ["II", "III"]),
)
TYPE_V = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", R),
    ("lha", "left_hepatic", "pha", ["III", "IV"]),
    ("alha", "left_hepatic", "lga", ["II"]),
)
TYPE_VI = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", ["V", "VIII"]),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("arha", "right_hepatic", "sma", ["VI", "VII"]),
)
TYPE_VII = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", ["V", "VIII"]),
    ("lha", "left_hepatic", "pha", ["III", "IV"]),
    ("arha", "right_hepatic", "sma", ["VI", "VII"]),
    ("alha", "left_hepatic", "lga", ["II"]),
)
TYPE_VIIIA = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("lha", "left_hepatic", "pha", ["III", "IV"]),
    ("rrha", "right_hepatic", "sma", R),
    ("alha", "left_hepatic", "lga", ["II"]),
)
TYPE_VIIIB = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", ["V", "VIII", "IV"]),
    ("arha", "right_hepatic", "sma", ["VI", "VII"]),
    ("rlha", "left_hepatic", "lga", ["II", "III"]),
)
TYPE_IX = case(
    ("ao", "aorta", None, []),
    ("ct", "celiac_trunk", "ao", []),
    ("lga", "left_gastric", "ct", []),
    ("spl", "splenic", "ct", []),
    ("sma", "superior_mesenteric", "ao", []),
    ("cha", "common_hepatic", "sma", []),
    ("gda", "gastroduodenal", "cha", []),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", R),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
)
TYPE_X = case(
    ("ao", "aorta", None, []),
    ("ct", "celiac_trunk", "ao", []),
    ("lga", "left_gastric", "ct", []),
    ("spl", "splenic", "ct", []),
    ("sma", "superior_mesenteric", "ao", []),
    ("cha", "common_hepatic", "lga", []),
    ("gda", "gastroduodenal", "cha", []),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", R),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
)

MICHELS = {
    "I": TYPE_I,
    "II": TYPE_II,
    "III": TYPE_III,
    "IV": TYPE_IV,
    "V": TYPE_V,
    "VI": TYPE_VI,
    "VII": TYPE_VII,
    "VIIIa": TYPE_VIIIA,
    "VIIIb": TYPE_VIIIB,
    "IX": TYPE_IX,
    "X": TYPE_X,
}

# Outside Michels (anatomy-facts §3.9). Imam 2022 (Folia Morphol 81:359): replaced RHA
# from the GDA in 3 of 241 donors.
RHA_FROM_GDA = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("rha", "right_hepatic", "gda", R),
)
# Imam 2022: replaced RHA from the (posterior superior) pancreaticoduodenal artery, 9/241.
RHA_FROM_PDA = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("pspda", "posterior_superior_pancreaticoduodenal", "gda", []),
    ("rha", "right_hepatic", "pspda", R),
)
# Imam 2022, Choi 2021: RHA directly from the celiac trunk (1.87 % in 5625 TACE patients).
RHA_FROM_CELIAC = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("rha", "right_hepatic", "ct", R),
)
# Imam 2022 (2/241), Choi 2021 (0.11 %): RHA from the aorta.
RHA_FROM_AORTA = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("rha", "right_hepatic", "ao", R),
)
# Hiatt 1994 type 6 (2/1000); Song 2010 (20/5002): CHA directly from the aorta.
CHA_FROM_AORTA = case(
    *_celiac(cha_parent="ao"),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", R),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
)
# Covey 2002 (2/600): proper hepatic artery from the SMA, GDA from the celiac.
PHA_FROM_SMA = case(
    ("ao", "aorta", None, []),
    ("ct", "celiac_trunk", "ao", []),
    ("lga", "left_gastric", "ct", []),
    ("spl", "splenic", "ct", []),
    ("gda", "gastroduodenal", "ct", []),
    ("sma", "superior_mesenteric", "ao", []),
    ("pha", "proper_hepatic", "sma", []),
    ("rha", "right_hepatic", "pha", R),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
)
# Covey 2002 (22/600), Song 2010 (55/5002): no CHA, RHA and LHA arise separately.
DOUBLE_HEPATIC = case(
    ("ao", "aorta", None, []),
    ("ct", "celiac_trunk", "ao", []),
    ("lga", "left_gastric", "ct", []),
    ("spl", "splenic", "ct", []),
    ("sma", "superior_mesenteric", "ao", []),
    ("rha", "right_hepatic", "ct", R),
    ("gda", "gastroduodenal", "rha", []),
    ("lha", "left_hepatic", "ct", ["II", "III", "IV"]),
)
# Two replaced sectoral arteries, no normal right supply (DESIGN.md: each is replaced).
REPLACED_SECTORS_FROM_SMA_AND_GDA = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("rasa", "right_anterior_sectoral", "sma", ["V", "VIII"]),
    ("rpsa", "right_posterior_sectoral", "gda", ["VI", "VII"]),
)
# Trifurcation: CHA gives GDA, RHA and LHA at one point (Covey 2002 lists tri/quadri-
# furcations; a branching variant of type I).
TRIFURCATION = case(
    *_celiac(),
    ("rha", "right_hepatic", "cha", R),
    ("lha", "left_hepatic", "cha", ["II", "III", "IV"]),
)
# The seed's lesson: a celiac-only run of a type III patient shows no right supply.
CELIAC_ONLY = case(
    ("ct", "celiac_trunk", None, []),
    ("lga", "left_gastric", "ct", []),
    ("spl", "splenic", "ct", []),
    ("cha", "common_hepatic", "ct", []),
    ("gda", "gastroduodenal", "cha", []),
    ("pha", "proper_hepatic", "cha", []),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
)
# A vessel called "RHA" that feeds II–IV: territory wins, it is a left hepatic artery.
MISLABELLED_RHA = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("x", "right_hepatic", "pha", ["II", "III", "IV"]),
    ("rrha", "right_hepatic", "sma", R),
)
# Names only, no supplies anywhere: every territory is assumed from the names.
NAMES_ONLY_TYPE_I = case(
    *_celiac(),
    ("pha", "proper_hepatic", "cha", []),
    ("rha", "right_hepatic", "pha", []),
    ("lha", "left_hepatic", "pha", []),
)

HEPATIC_KINDS = {
    "right_hepatic",
    "left_hepatic",
    "middle_hepatic",
    "right_anterior_sectoral",
    "right_posterior_sectoral",
    "common_hepatic",
    "proper_hepatic",
}
ABBREVIATIONS = {
    "aorta": "Ao",
    "celiac_trunk": "CA",
    "left_gastric": "LGA",
    "splenic": "SA",
    "superior_mesenteric": "SMA",
    "common_hepatic": "CHA",
    "gastroduodenal": "GDA",
    "proper_hepatic": "PHA",
    "right_hepatic": "RHA",
    "left_hepatic": "LHA",
    "middle_hepatic": "MHA",
    "right_anterior_sectoral": "right anterior sectoral artery",
    "right_posterior_sectoral": "right posterior sectoral artery",
    "posterior_superior_pancreaticoduodenal": "PSPDA",
}


def abbreviated(source: Case) -> Case:
    """Kinds written as radiologists abbreviate them (RHA, SMA …), in mixed case."""
    out = copy.deepcopy(source)
    for item in out["vessels"]:
        if "kind" in item:
            item["kind"] = ABBREVIATIONS.get(item["kind"], item["kind"].replace("_", " "))
    return out


def unnamed(source: Case) -> Case:
    """Hepatic arteries, CHA and PHA unnamed: known only by their territory."""
    out = copy.deepcopy(source)
    for item in out["vessels"]:
        kind = item.get("kind", "")
        if any(kind.lower().endswith(h) for h in HEPATIC_KINDS) or "hepatic" in kind.lower():
            del item["kind"]
    return out


def with_pass_through(source: Case) -> Case:
    """An unnamed pass-through branch inserted above every non-root vessel."""
    out = copy.deepcopy(source)
    extra = []
    for item in out["vessels"]:
        if "parent" in item:
            link = f"{item['id']}-via"
            extra.append({"id": link, "parent": item["parent"]})
            item["parent"] = link
    out["vessels"] += extra
    return out


def with_extrahepatic(source: Case) -> Case:
    """Extra non-target branches where they usually arise (anatomy-facts §6.1)."""
    out = copy.deepcopy(source)
    ids = {v["id"]: v.get("kind") for v in out["vessels"]}
    add = []
    for vid, kind in ids.items():
        if kind in ("right_hepatic", "RHA"):
            add.append({"id": f"cys-{vid}", "kind": "cystic", "parent": vid})
        if kind in ("left_hepatic", "LHA"):
            add += [
                {"id": f"falc-{vid}", "kind": "hepatic falciform artery", "parent": vid},
                {"id": f"alga-{vid}", "kind": "accessory_left_gastric", "parent": vid},
            ]
        if kind in ("proper_hepatic", "PHA"):
            add.append({"id": f"rga-{vid}", "kind": "right gastric artery", "parent": vid})
        if kind in ("gastroduodenal", "GDA"):
            add += [
                {"id": f"rgea-{vid}", "kind": "right_gastroepiploic", "parent": vid},
                {"id": f"aspda-{vid}", "kind": "ASPDA", "parent": vid},
            ]
        if kind in ("superior_mesenteric", "SMA"):
            add += [
                {"id": f"ipda-{vid}", "kind": "inferior_pancreaticoduodenal", "parent": vid},
                {"id": f"mca-{vid}", "kind": "middle colic", "parent": vid},
            ]
    out["vessels"] += add
    return out


STYLES = {
    "abbreviated": abbreviated,
    "unnamed": unnamed,
    "pass_through": with_pass_through,
    "extrahepatic": with_extrahepatic,
}
