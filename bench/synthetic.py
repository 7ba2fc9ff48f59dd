"""A large, realistic synthetic data set for benchmarks: agreements, actors, places, incidents."""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from psycopg import sql
from sqlalchemy import JSON, Connection, Table, func, insert, select, text

from tracker import migrate
from tracker.db import create_tracker_engine
from tracker.models import (
    Actor,
    Agreement,
    AgreementParty,
    Incident,
    IncidentSource,
    Place,
    Provision,
    Source,
    Territory,
    incident_provisions,
)
from tracker.rules.dates import instant, interval, local_date
from tracker.rules.names import search_key

Row = dict[str, Any]

TZ = ZoneInfo("Asia/Damascus")
BATCH = 20_000
ACTOR_COUNT = 300
PLACE_COUNT = 5_000
UTC = dt.UTC


def _utc(text_value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text_value).astimezone(UTC)


# --- actors -------------------------------------------------------------------------------------

#: Top-level actors: key, English name, Arabic name, kind, country, parent key, aliases.
TOP_ACTORS: tuple[tuple[str, str, str, str, str | None, str | None, tuple[str, ...]], ...] = (
    ("syria", "Syrian Arab Republic", "الجمهورية العربية السورية", "state", "SY", None, ()),
    (
        "saa",
        "Syrian Arab Army",
        "الجيش العربي السوري",
        "state_force",
        "SY",
        "syria",
        ("SAA", "government forces", "قوات النظام"),
    ),
    ("russia", "Russian Federation", "روسيا الاتحادية", "state", "RU", None, ()),
    (
        "rus-af",
        "Russian Aerospace Forces",
        "القوات الجوية الفضائية الروسية",
        "foreign_state_force",
        "RU",
        "russia",
        ("Russian air force", "الطيران الروسي"),
    ),
    ("turkey", "Republic of Turkey", "الجمهورية التركية", "state", "TR", None, ()),
    (
        "tsk",
        "Turkish Armed Forces",
        "القوات المسلحة التركية",
        "foreign_state_force",
        "TR",
        "turkey",
        ("Turkish army", "الجيش التركي"),
    ),
    ("iran", "Islamic Republic of Iran", "الجمهورية الإسلامية الإيرانية", "state", "IR", None, ()),
    (
        "irgc-militias",
        "Iranian-backed militias",
        "الميليشيات المدعومة من إيران",
        "militia",
        "IR",
        "iran",
        ("Iranian militias",),
    ),
    (
        "hts",
        "Hayat Tahrir al-Sham",
        "هيئة تحرير الشام",
        "designated_group",
        None,
        None,
        ("HTS", "Jabhat al-Nusra", "جبهة النصرة", "Tahrir al-Sham"),
    ),
    (
        "isis",
        "Islamic State",
        "تنظيم الدولة الإسلامية",
        "designated_group",
        None,
        None,
        ("ISIS", "ISIL", "داعش"),
    ),
    (
        "nfl",
        "National Front for Liberation",
        "الجبهة الوطنية للتحرير",
        "armed_group",
        None,
        None,
        ("NFL", "al-Jabha al-Wataniya lil-Tahrir"),
    ),
    ("ahrar-sham", "Ahrar al-Sham", "حركة أحرار الشام", "armed_group", None, "nfl", ()),
    ("suqur-sham", "Suqur al-Sham", "ألوية صقور الشام", "armed_group", None, "nfl", ()),
    ("jaish-izza", "Jaish al-Izza", "جيش العزة", "armed_group", None, None, ("Jaish al-Ezzah",)),
    ("sna", "Syrian National Army", "الجيش الوطني السوري", "armed_group", None, None, ("SNA",)),
    ("ahrar-sharqiya", "Ahrar al-Sharqiya", "أحرار الشرقية", "armed_group", None, "sna", ()),
    (
        "fath-mubin",
        "al-Fath al-Mubin operations room",
        "غرفة عمليات الفتح المبين",
        "operations_room",
        None,
        None,
        (),
    ),
    (
        "tsk-posts",
        "Turkish observation points",
        "نقاط المراقبة التركية",
        "monitor",
        "TR",
        "tsk",
        (),
    ),
    ("civilians", "Civilians", "مدنيون", "civilians", "SY", None, ()),
)

#: Sub-units generated under these parents, with their share of the generated actors.
UNIT_PARENTS = (
    ("saa", 100),
    ("rus-af", 30),
    ("irgc-militias", 40),
    ("hts", 30),
    ("nfl", 30),
    ("jaish-izza", 10),
    ("sna", 25),
    ("isis", 8),
    ("tsk", 8),
)
UNIT_WORDS = (
    ("Brigade", "اللواء"),
    ("Battalion", "الكتيبة"),
    ("Regiment", "الفوج"),
    ("Division", "الفرقة"),
    ("Group", "المجموعة"),
)

GOVERNMENT_SIDE = ("saa", "rus-af", "irgc-militias")
AIR_SIDE = ("saa", "rus-af")
OPPOSITION_SIDE = ("nfl", "ahrar-sham", "suqur-sham", "jaish-izza", "sna", "ahrar-sharqiya")
DESIGNATED = ("hts", "isis")

# --- places -------------------------------------------------------------------------------------

#: Governorates: P-code, names, share of places, bounding box (south, west, north, east).
GOVERNORATES = (
    ("SY07", "Idleb", "إدلب", 0.50, (35.45, 36.15, 36.35, 36.95)),
    ("SY05", "Hama", "حماة", 0.25, (34.90, 36.30, 35.55, 37.20)),
    ("SY02", "Aleppo", "حلب", 0.15, (35.80, 36.60, 36.60, 37.60)),
    ("SY06", "Lattakia", "اللاذقية", 0.10, (35.45, 35.75, 35.95, 36.25)),
)
#: Districts per governorate: (English, Arabic) names, and sub-districts per district.
DISTRICTS = {
    "SY07": (
        (("Idleb", "إدلب"), ("Ariha", "أريحا"), ("Harim", "حارم")),
        (("Jisr-Ash-Shugur", "جسر الشغور"), ("Al Ma'ra", "معرة النعمان")),
        8,
    ),
    "SY05": (
        (("Hama", "حماة"), ("As-Suqaylabiyah", "السقيلبية"), ("Muhradah", "محردة")),
        (("Masyaf", "مصياف"), ("As-Salamiyeh", "السلمية")),
        5,
    ),
    "SY02": (
        (("Jebel Saman", "جبل سمعان"), ("Al Bab", "الباب"), ("Atareb", "الأتارب")),
        (("Afrin", "عفرين"), ("A'zaz", "أعزاز")),
        4,
    ),
    "SY06": (
        (("Lattakia", "اللاذقية"), ("Al-Haffa", "الحفة")),
        (("Jablah", "جبلة"), ("Qardaha", "القرداحة")),
        4,
    ),
}
PREFIXES = (
    ("Kafr", "كفر"),
    ("Tell", "تل"),
    ("Khirbet", "خربة"),
    ("Ain", "عين"),
    ("Deir", "دير"),
    ("Maarat", "معرة"),
    ("Jisr", "جسر"),
    ("Beit", "بيت"),
    ("Umm", "أم"),
    ("Abu", "أبو"),
    ("Sheikh", "الشيخ"),
    ("al-", "ال"),
)
ROOTS = (
    ("Nabudah", "نبودة"),
    ("Zita", "زيتا"),
    ("Sijnah", "سجنة"),
    ("Tuba", "طوبة"),
    ("Huwayz", "حويز"),
    ("Karkat", "كركات"),
    ("Janabira", "جنابرة"),
    ("Qasabiyah", "قصابية"),
    ("Humayrat", "حميرات"),
    ("Hardana", "حردانة"),
    ("Qiratah", "قيراطة"),
    ("Jabriyah", "جابرية"),
    ("Hawash", "حواش"),
    ("Malah", "ملح"),
    ("Jubayn", "جبين"),
    ("Latamina", "لطامنة"),
    ("Zakat", "زكاة"),
    ("Murak", "مورك"),
    ("Safsafah", "صفصافة"),
    ("Hbeit", "هبيط"),
    ("Ruwayha", "رويحة"),
    ("Sarmin", "سرمين"),
    ("Nayrab", "نيرب"),
    ("Taftanaz", "تفتناز"),
    ("Binnish", "بنش"),
    ("Mastumah", "مسطومة"),
    ("Kansafra", "كنصفرة"),
    ("Hass", "حاس"),
    ("Dana", "دانا"),
    ("Sarjah", "سرجة"),
    ("Nahlaya", "نحلايا"),
    ("Bara", "بارة"),
    ("Hamamiyat", "حماميات"),
    ("Tamanah", "تمانعة"),
    ("Khan Shaykhun", "خان شيخون"),
    ("Lataminah", "لطامنة"),
    ("Qalaat", "قلعة"),
    ("Sahl", "سهل"),
    ("Ghab", "غاب"),
    ("Rakaya", "ركايا"),
)
SUFFIXES = (
    ("", ""),
    ("", ""),
    ("", ""),
    (" al-Kabir", " الكبير"),
    (" al-Saghir", " الصغير"),
    (" al-Sharqi", " الشرقي"),
    (" al-Gharbi", " الغربي"),
    (" al-Shamali", " الشمالي"),
    (" al-Janubi", " الجنوبي"),
)
PLACE_KINDS = (
    ("village", 60),
    ("town", 20),
    ("city", 2),
    ("hill", 6),
    ("base", 2),
    ("airport", 1),
    ("monitoring_post", 2),
    ("road", 2),
    ("area", 3),
    ("mountain", 1),
    ("other", 1),
)
_RESPELLINGS = (("Kafr ", "Kafar"), ("ah", "a"), ("u", "ou"), ("ay", "ei"), ("q", "k"), ("Q", "K"))

# --- agreements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementPlan:
    """One synthetic agreement, and the period and share of the incidents reported against it."""

    key: str
    kind: str
    name_en: str
    name_ar: str
    signed_on: dt.date | None
    effective_from: dt.datetime
    expires_at: dt.datetime | None
    is_unilateral: bool
    parent: str | None
    share: float
    reported_from: dt.datetime
    reported_to: dt.datetime
    parties: tuple[tuple[str, str], ...]
    #: code, kind, English title, Arabic title, deadline
    provisions: tuple[tuple[str, str, str, str, dt.datetime | None], ...]
    #: English name, Arabic name, GeoJSON geometry, admin P-codes
    territories: tuple[tuple[str, str, dict[str, Any] | None, list[str] | None], ...] = field(
        default=()
    )


def _polygon(*points: tuple[float, float]) -> dict[str, Any]:
    ring = [[lon, lat] for lon, lat in points]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


SOCHI_BAND = _polygon(
    (36.20, 35.40), (36.95, 35.45), (37.15, 35.95), (36.95, 36.05), (36.55, 35.70), (36.15, 35.65)
)
IDLIB_AREA = _polygon((36.10, 35.40), (37.00, 35.40), (37.00, 36.40), (36.10, 36.40))
#: The admin areas of the Idlib area: Idleb governorate and the north of Hama.
IDLIB_AREA_PCODES = ("SY07", "SY0501", "SY0502")
NORTH_HAMA = _polygon((36.30, 35.20), (36.90, 35.20), (36.90, 35.55), (36.30, 35.55))

AGREEMENTS = (
    AgreementPlan(
        key="astana-dez",
        kind="de_escalation_zone",
        name_en="Astana memorandum on de-escalation zones",
        name_ar="مذكرة أستانا حول مناطق خفض التصعيد",
        signed_on=dt.date(2017, 5, 4),
        effective_from=_utc("2017-05-06T00:00:00+03:00"),
        expires_at=None,
        is_unilateral=False,
        parent=None,
        share=0.25,
        reported_from=_utc("2017-04-01T00:00:00+03:00"),
        reported_to=_utc("2018-09-17T00:00:00+03:00"),
        parties=(
            ("russia", "guarantor"),
            ("turkey", "guarantor"),
            ("iran", "guarantor"),
            ("syria", "bound"),
            ("nfl", "bound"),
            ("hts", "excluded"),
            ("isis", "excluded"),
        ),
        provisions=(
            (
                "1",
                "cease_fire",
                "Cessation of hostilities in the zones",
                "وقف الأعمال القتالية",
                None,
            ),
            (
                "3",
                "monitoring",
                "Observation points of the guarantors",
                "نقاط مراقبة الضامنين",
                None,
            ),
            (
                "4",
                "humanitarian",
                "Unhindered humanitarian access",
                "وصول المساعدات الإنسانية",
                None,
            ),
        ),
        territories=(
            (
                "Idlib de-escalation zone",
                "منطقة خفض التصعيد في إدلب",
                None,
                ["SY07", "SY0502", "SY0501", "SY0601", "SY0206"],
            ),
        ),
    ),
    AgreementPlan(
        key="sochi-idlib",
        kind="demilitarized_zone",
        name_en="Sochi memorandum on Idlib",
        name_ar="مذكرة سوتشي حول إدلب",
        signed_on=dt.date(2018, 9, 17),
        effective_from=_utc("2018-09-17T21:00:00+03:00"),
        expires_at=None,
        is_unilateral=False,
        parent="astana-dez",
        share=0.33,
        reported_from=_utc("2018-09-17T00:00:00+03:00"),
        reported_to=_utc("2019-08-31T00:00:00+03:00"),
        parties=(
            ("russia", "signatory"),
            ("turkey", "signatory"),
            ("saa", "bound"),
            ("nfl", "bound"),
            ("hts", "excluded"),
        ),
        provisions=(
            ("1", "cease_fire", "Ceasefire in the zone", "وقف إطلاق النار في المنطقة", None),
            (
                "5",
                "heavy_weapons_withdrawal",
                "Heavy weapons out of the zone",
                "سحب الأسلحة الثقيلة من المنطقة",
                _utc("2018-10-11T00:00:00+03:00"),
            ),
            (
                "6",
                "force_withdrawal",
                "Radical groups out of the zone",
                "انسحاب الجماعات المتطرفة من المنطقة",
                _utc("2018-10-16T00:00:00+03:00"),
            ),
            ("8", "patrols", "Joint Russian-Turkish patrols", "دوريات روسية تركية مشتركة", None),
            (
                "9",
                "road_access",
                "M4 and M5 reopened",
                "إعادة فتح الطريقين M4 وM5",
                _utc("2019-01-01T00:00:00+02:00"),
            ),
        ),
        territories=(("Demilitarized band", "المنطقة منزوعة السلاح", SOCHI_BAND, None),),
    ),
    AgreementPlan(
        key="truce-72h",
        kind="truce",
        name_en="72-hour truce of May 2019",
        name_ar="هدنة الـ72 ساعة في أيار 2019",
        signed_on=dt.date(2019, 5, 17),
        effective_from=_utc("2019-05-18T00:00:00+03:00"),
        expires_at=_utc("2019-05-21T00:00:00+03:00"),
        is_unilateral=False,
        parent="sochi-idlib",
        share=0.10,
        reported_from=_utc("2019-05-10T00:00:00+03:00"),
        reported_to=_utc("2019-05-31T00:00:00+03:00"),
        parties=(
            ("russia", "signatory"),
            ("turkey", "signatory"),
            ("saa", "bound"),
            ("hts", "rejected"),
            ("nfl", "rejected"),
        ),
        provisions=(
            ("1", "cease_fire", "Ceasefire for 72 hours", "وقف إطلاق النار 72 ساعة", None),
        ),
        territories=(("Idlib and Hama", "إدلب وحماة", None, ["SY07", "SY05"]),),
    ),
    AgreementPlan(
        key="russia-unilateral",
        kind="truce",
        name_en="Russian unilateral truce of June 2019",
        name_ar="الهدنة الروسية من طرف واحد في حزيران 2019",
        signed_on=None,
        effective_from=_utc("2019-06-12T00:00:00+03:00"),
        expires_at=_utc("2019-06-15T00:00:00+03:00"),
        is_unilateral=True,
        parent=None,
        share=0.10,
        reported_from=_utc("2019-06-05T00:00:00+03:00"),
        reported_to=_utc("2019-06-26T00:00:00+03:00"),
        parties=(
            ("russia", "signatory"),
            ("nfl", "not_notified"),
            ("jaish-izza", "not_notified"),
            ("turkey", "observer"),
        ),
        provisions=(("1", "cease_fire", "Cessation of hostilities", "وقف الأعمال القتالية", None),),
        territories=(
            ("North Hama front", "جبهة ريف حماة الشمالي", NORTH_HAMA, ["SY0502", "SY0501"]),
        ),
    ),
    AgreementPlan(
        key="idlib-truce-2019-08",
        kind="ceasefire",
        name_en="Idlib ceasefire of 31 August 2019",
        name_ar="وقف إطلاق النار في إدلب 31 آب 2019",
        signed_on=dt.date(2019, 8, 30),
        effective_from=_utc("2019-08-31T06:00:00+03:00"),
        expires_at=None,
        is_unilateral=False,
        parent="sochi-idlib",
        share=0.15,
        reported_from=_utc("2019-08-25T00:00:00+03:00"),
        reported_to=_utc("2020-03-06T00:00:00+02:00"),
        parties=(
            ("russia", "guarantor"),
            ("turkey", "guarantor"),
            ("saa", "bound"),
            ("nfl", "bound"),
            ("hts", "excluded"),
        ),
        provisions=(
            ("1", "cease_fire", "Ceasefire", "وقف إطلاق النار", None),
            ("2", "humanitarian", "Safe return of the displaced", "عودة النازحين الآمنة", None),
        ),
        territories=(("Idlib area", "منطقة إدلب", IDLIB_AREA, None),),
    ),
    AgreementPlan(
        key="kafarya-fuah-evacuation",
        kind="evacuation_deal",
        name_en="Kafarya and al-Fu'ah evacuation deal of July 2018",
        name_ar="اتفاق إخلاء كفريا والفوعة في تموز 2018",
        signed_on=dt.date(2018, 7, 17),
        effective_from=_utc("2018-07-18T00:00:00+03:00"),
        expires_at=_utc("2018-07-21T00:00:00+03:00"),
        is_unilateral=False,
        parent=None,
        share=0.02,
        reported_from=_utc("2018-07-10T00:00:00+03:00"),
        reported_to=_utc("2018-07-29T00:00:00+03:00"),
        parties=(("iran", "signatory"), ("hts", "signatory"), ("syria", "bound")),
        provisions=(
            (
                "1",
                "cease_fire",
                "Ceasefire during the evacuation",
                "وقف إطلاق النار خلال الإخلاء",
                None,
            ),
            (
                "2",
                "humanitarian",
                "Safe passage of the evacuation convoys",
                "مرور آمن لقوافل الإخلاء",
                _utc("2018-07-20T00:00:00+03:00"),
            ),
        ),
        territories=(("Kafarya and al-Fu'ah", "كفريا والفوعة", None, ["SY070002", "SY070005"]),),
    ),
    AgreementPlan(
        key="conditional-ceasefire-2019-08",
        kind="ceasefire",
        name_en="Conditional ceasefire of 1-5 August 2019",
        name_ar="وقف إطلاق النار المشروط 1-5 آب 2019",
        signed_on=None,
        effective_from=_utc("2019-08-01T00:00:00+03:00"),
        expires_at=_utc("2019-08-06T00:00:00+03:00"),
        is_unilateral=True,
        parent="sochi-idlib",
        share=0.05,
        reported_from=_utc("2019-07-25T00:00:00+03:00"),
        reported_to=_utc("2019-08-13T00:00:00+03:00"),
        parties=(("syria", "signatory"), ("saa", "bound"), ("nfl", "not_notified")),
        provisions=(
            ("1", "cease_fire", "Ceasefire on condition", "وقف إطلاق النار المشروط", None),
        ),
        territories=(("Idlib area", "منطقة إدلب", None, list(IDLIB_AREA_PCODES)),),
    ),
)

# --- incidents and sources ----------------------------------------------------------------------

CATEGORIES = (
    ("shelling", 33, "Shelling", "قصف مدفعي"),
    ("air_strike", 25, "Air strikes", "غارات جوية"),
    ("rocket_attack", 10, "Rocket fire", "قصف صاروخي"),
    ("ground_assault", 8, "Ground assault", "هجوم بري"),
    ("drone_strike", 5, "Drone strike", "ضربة بطائرة مسيرة"),
    ("sniper_fire", 5, "Sniper fire", "قنص"),
    ("heavy_weapons_in_zone", 3, "Heavy weapons kept in the zone", "أسلحة ثقيلة داخل المنطقة"),
    ("troop_build_up", 3, "Troop build-up", "حشود عسكرية"),
    ("attack_on_monitoring_post", 2, "Attack on an observation point", "استهداف نقطة مراقبة"),
    ("other", 6, "Other violation", "خرق آخر"),
)
WEAPONS = {
    "shelling": ("artillery", "mortars", "tank fire", "heavy machine guns"),
    "air_strike": ("barrel bombs", "guided missiles", "cluster munitions", "unguided bombs"),
    "rocket_attack": ("Grad rockets", "Golan rockets", "surface-to-surface missiles"),
    "ground_assault": ("infantry with armour", "infantry"),
    "drone_strike": ("armed drone", "suicide drone"),
    "sniper_fire": ("sniper rifle",),
    "heavy_weapons_in_zone": ("tanks", "rocket launchers", "artillery"),
    "troop_build_up": ("armoured column", "reinforcements"),
    "attack_on_monitoring_post": ("mortars", "artillery"),
    "other": ("small arms",),
}
DATE_PRECISIONS = (("time", 45), ("day", 40), ("week", 5), ("month", 8), ("year", 2))
LOCATION_PRECISIONS = (("exact", 70), ("near", 15), ("admin3", 8), ("admin2", 5), ("admin1", 2))
STATUSES = (
    ("draft", 5),
    ("submitted", 40),
    ("verified", 40),
    ("disputed", 8),
    ("rejected", 4),
    ("retracted", 3),
)
STATUS_REASONS = {
    "disputed": "Sources disagree on who fired.",
    "rejected": "Only one unverified social media post.",
    "retracted": "Duplicate of an incident entered earlier.",
}
SOURCE_KINDS = (
    ("news_article", 35),
    ("social_media_post", 25),
    ("ngo_report", 12),
    ("official_statement", 10),
    ("witness", 6),
    ("monitoring_report", 10),
    ("dataset", 2),
)
PUBLISHERS = {
    "news_article": ("Enab Baladi", "Sasa Post", "Orient News", "Al Jazeera", "Reuters"),
    "social_media_post": ("Telegram", "Twitter", "Facebook"),
    "ngo_report": ("Syrian Network for Human Rights", "Syrian Observatory for Human Rights"),
    "official_statement": ("Russian Ministry of Defence", "Turkish Ministry of National Defence"),
    "witness": ("Field interview",),
    "monitoring_report": ("Joint working group, Turkish office", "Russian reconciliation centre"),
    "dataset": ("ACLED", "UCDP GED"),
}
LANGUAGES = (("ar", 55), ("en", 35), ("ru", 5), ("tr", 5))
RELIABILITY = (("A", 2), ("B", 20), ("C", 35), ("D", 20), ("E", 5), ("F", 18))
EXCERPTS = (
    "Warplanes struck the town at dawn.",
    "قصفت الطائرات الحربية البلدة فجرا",
    "Shells fell near the market.",
    "سقطت قذائف قرب السوق",
    None,
)


def _weighted(pairs: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values = [value for value, _ in pairs]
    cumulative: list[int] = []
    total = 0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


class Picker:
    """Weighted choices from one seeded random generator."""

    def __init__(self, rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> None:
        self.rng = rng
        self.values, self.cumulative = _weighted(pairs)

    def __call__(self) -> Any:
        return self.rng.choices(self.values, cum_weights=self.cumulative)[0]


def respell(name: str) -> str:
    """Another common Latin transliteration of ``name`` (Kafr Nabudah -> KafarNabouda)."""
    for old, new in _RESPELLINGS:
        name = name.replace(old, new)
    return name


@lru_cache(maxsize=400_000)
def _name_parts(name: str | None) -> tuple[str, ...]:
    return tuple(part for part in search_key([name]).split("|") if part)


def incident_search_key(names: Sequence[str | None]) -> str:
    """``search_key(names)``, computed name by name with a cache: the key is the ordered,
    de-duplicated union of the keys of each name, and descriptions repeat a lot."""
    parts = dict.fromkeys(part for name in names for part in _name_parts(name))
    return "|" + "|".join(parts) + "|"


def _slugify(text_value: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text_value.lower()).split())


@dataclass
class Ids:
    """The first free id of each table, so that a populated database can take more."""

    actors: int
    places: int
    agreements: int
    provisions: int
    territories: int
    parties: int
    sources: int
    incidents: int
    links: int


@dataclass
class World:
    """What the incident generator needs to know of the records generated before it."""

    actor_ids: dict[str, int] = field(default_factory=dict)
    units: dict[str, list[int]] = field(default_factory=dict)
    place_ids: list[int] = field(default_factory=list)
    front_place_ids: list[int] = field(default_factory=list)
    place_names: dict[int, tuple[str, str]] = field(default_factory=dict)
    agreement_ids: dict[str, int] = field(default_factory=dict)
    provision_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    source_count: int = 0

    def side(self, keys: Sequence[str], rng: random.Random) -> int:
        """An actor of one of ``keys``, or one of its units (two in three times a unit)."""
        key = rng.choice(keys)
        units = self.units.get(key)
        if units and rng.random() < 2 / 3:
            return rng.choice(units)
        return self.actor_ids[key]


# --- generators ---------------------------------------------------------------------------------


def actor_rows(rng: random.Random, ids: Ids, world: World) -> list[Row]:
    """The top-level actors, then their generated units (children of a top-level actor)."""
    rows: list[Row] = []
    next_id = ids.actors
    top = {a[0]: a for a in TOP_ACTORS}
    for key, name_en, name_ar, kind, country, parent, aliases in TOP_ACTORS:
        world.actor_ids[key] = next_id
        rows.append(
            _actor(next_id, key, name_en, name_ar, kind, country, parent, aliases, world.actor_ids)
        )
        next_id += 1
    wanted = ACTOR_COUNT - len(TOP_ACTORS)
    total = sum(n for _, n in UNIT_PARENTS)
    for parent_key, share in UNIT_PARENTS:
        _, parent_en, parent_ar, kind, country, _, _ = top[parent_key]
        for number in range(1, share * wanted // total + 1):
            word_en, word_ar = rng.choice(UNIT_WORDS)
            unit = rng.randint(1, 160)
            name_en = f"{parent_en}, {word_en} {unit}"
            name_ar = f"{word_ar} {unit} - {parent_ar}"
            key = f"{parent_key}-{_slugify(word_en)}-{unit}-{number}"
            rows.append(
                _actor(
                    next_id, key, name_en, name_ar, kind, country, parent_key, (), world.actor_ids
                )
            )
            world.units.setdefault(parent_key, []).append(next_id)
            next_id += 1
    return rows


def _actor(
    actor_id: int,
    key: str,
    name_en: str,
    name_ar: str,
    kind: str,
    country: str | None,
    parent: str | None,
    aliases: Sequence[str],
    known: dict[str, int],
) -> Row:
    return {
        "id": actor_id,
        "slug": f"syn{actor_id}-{key}",
        "name_en": name_en,
        "name_ar": name_ar,
        "aliases": list(aliases),
        "kind": kind,
        "parent_id": known[parent] if parent else None,
        "country": country,
        "search_key": search_key([name_en, name_ar, *aliases]),
        "created_at": _utc("2017-01-01T00:00:00+00:00"),
    }


@dataclass(frozen=True)
class SubDistrict:
    """An admin-3 area: its names and P-codes, its parents, and its cell of the map."""

    pcode: str
    name: tuple[str, str]
    district: tuple[str, str, str]  # pcode, English, Arabic
    governorate: tuple[str, str, str]
    box: tuple[float, float, float, float]


def sub_districts(rng: random.Random) -> dict[str, list[SubDistrict]]:
    """Admin-3 areas per governorate, each a cell of a grid over the governorate's box."""
    result: dict[str, list[SubDistrict]] = {}
    for code, gov_en, gov_ar, _, (south, west, north, east) in GOVERNORATES:
        first, second, per_district = DISTRICTS[code]
        districts = (*first, *second)
        cells = len(districts) * per_district
        columns = max(1, round(cells**0.5))
        rows = -(-cells // columns)
        areas: list[SubDistrict] = []
        for d_index, (d_en, d_ar) in enumerate(districts):
            d_code = f"{code}{d_index:02d}"
            for s_index in range(per_district):
                cell = d_index * per_district + s_index
                r, c = divmod(cell, columns)
                height, width = (north - south) / rows, (east - west) / columns
                box = (
                    south + r * height,
                    west + c * width,
                    south + (r + 1) * height,
                    west + (c + 1) * width,
                )
                prefix_en, prefix_ar = rng.choice(PREFIXES[:10])
                root_en, root_ar = rng.choice(ROOTS)
                areas.append(
                    SubDistrict(
                        pcode=f"{d_code}{s_index:02d}",
                        name=(f"{prefix_en} {root_en}", f"{prefix_ar} {root_ar}"),
                        district=(d_code, d_en, d_ar),
                        governorate=(code, gov_en, gov_ar),
                        box=box,
                    )
                )
        result[code] = areas
    return result


def place_name(rng: random.Random) -> tuple[str, str]:
    """A plausible village name in English and Arabic."""
    prefix_en, prefix_ar = rng.choice(PREFIXES)
    root_en, root_ar = rng.choice(ROOTS)
    suffix_en, suffix_ar = rng.choice(SUFFIXES)
    if prefix_en == "al-":
        return f"al-{root_en}{suffix_en}", f"ال{root_ar}{suffix_ar}"
    return f"{prefix_en} {root_en}{suffix_en}", f"{prefix_ar} {root_ar}{suffix_ar}"


def place_rows(rng: random.Random, ids: Ids, world: World, taken: set[str]) -> list[Row]:
    """Villages, towns, hills and posts with nested admin P-codes and coordinates in Syria."""
    areas = sub_districts(rng)
    governorate = Picker(rng, [(g[0], int(g[3] * 100)) for g in GOVERNORATES])
    kind = Picker(rng, PLACE_KINDS)
    used: dict[str, int] = {}
    rows: list[Row] = []
    created = _utc("2017-01-01T00:00:00+00:00")
    for place_id in range(ids.places, ids.places + PLACE_COUNT):
        code = governorate()
        area = rng.choice(areas[code])
        while used.get(area.pcode, 0) >= 99:
            area = rng.choice(areas[code])
        pcode = ""
        while not pcode or pcode in taken:
            used[area.pcode] = used.get(area.pcode, 0) + 1
            pcode = f"{area.pcode}{used[area.pcode]:02d}"
        name_en, name_ar = place_name(rng)
        aliases = [respell(name_en)] if rng.random() < 0.5 and respell(name_en) != name_en else []
        south, west, north, east = area.box
        rows.append(
            {
                "id": place_id,
                "slug": f"syn{place_id}-{_slugify(name_en)}",
                "name_en": name_en,
                "name_ar": name_ar,
                "aliases": aliases,
                "kind": kind(),
                "pcode": pcode,
                "admin1_name": area.governorate[1],
                "admin1_pcode": area.governorate[0],
                "admin2_name": area.district[1],
                "admin2_pcode": area.district[0],
                "admin3_name": area.name[0],
                "admin3_pcode": area.pcode,
                "latitude": round(rng.uniform(south, north), 5),
                "longitude": round(rng.uniform(west, east), 5),
                "search_key": search_key([name_en, name_ar, *aliases]),
                "created_at": created,
            }
        )
        world.place_ids.append(place_id)
        if code in {"SY07", "SY05"}:
            world.front_place_ids.append(place_id)
        world.place_names[place_id] = (name_en, name_ar)
    return rows


def agreement_rows(ids: Ids, world: World) -> dict[Table, list[Row]]:
    """The seven agreements with their parties, provisions and territories."""
    agreements: list[Row] = []
    parties: list[Row] = []
    provisions: list[Row] = []
    territories: list[Row] = []
    created = _utc("2020-03-10T00:00:00+00:00")
    for offset, plan in enumerate(AGREEMENTS):
        agreement_id = ids.agreements + offset
        world.agreement_ids[plan.key] = agreement_id
        agreements.append(
            {
                "id": agreement_id,
                "slug": f"syn{agreement_id}-{plan.key}",
                "kind": plan.kind,
                "name_en": plan.name_en,
                "name_ar": plan.name_ar,
                "signed_on": plan.signed_on,
                "effective_from": plan.effective_from,
                "expires_at": plan.expires_at,
                "is_unilateral": plan.is_unilateral,
                "parent_id": world.agreement_ids[plan.parent] if plan.parent else None,
                "summary_en": f"Synthetic copy of the {plan.name_en}.",
                "summary_ar": None,
                "text_url": None,
                "pax_id": None,
                "version": 1,
                "created_at": created,
                "updated_at": created,
            }
        )
        for actor, role in plan.parties:
            parties.append(
                {
                    "id": ids.parties + len(parties),
                    "agreement_id": agreement_id,
                    "actor_id": world.actor_ids[actor],
                    "role": role,
                    "note": None,
                }
            )
        for code, kind, title_en, title_ar, deadline in plan.provisions:
            provision_id = ids.provisions + len(provisions)
            world.provision_ids[(plan.key, kind)] = provision_id
            provisions.append(
                {
                    "id": provision_id,
                    "agreement_id": agreement_id,
                    "code": code,
                    "title_en": title_en,
                    "title_ar": title_ar,
                    "text": None,
                    "kind": kind,
                    "deadline": deadline,
                }
            )
        for name_en, name_ar, geometry, pcodes in plan.territories:
            territories.append(
                {
                    "id": ids.territories + len(territories),
                    "agreement_id": agreement_id,
                    "name_en": name_en,
                    "name_ar": name_ar,
                    "geometry": geometry,
                    "admin_pcodes": pcodes,
                }
            )
    return {
        Agreement.__table__: agreements,  # type: ignore[dict-item]
        AgreementParty.__table__: parties,  # type: ignore[dict-item]
        Provision.__table__: provisions,  # type: ignore[dict-item]
        Territory.__table__: territories,  # type: ignore[dict-item]
    }


def source_rows(rng: random.Random, ids: Ids, count: int) -> Iterator[Row]:
    """Reports, posts, statements and witnesses; a few per cent confidential."""
    kind = Picker(rng, SOURCE_KINDS)
    language = Picker(rng, LANGUAGES)
    reliability = Picker(rng, RELIABILITY)
    first = _utc("2017-04-01T00:00:00+00:00").timestamp()
    last = _utc("2020-03-10T00:00:00+00:00").timestamp()
    for source_id in range(ids.sources, ids.sources + count):
        source_kind = kind()
        publisher = rng.choice(PUBLISHERS[source_kind])
        published = dt.datetime.fromtimestamp(int(rng.uniform(first, last)), UTC)
        confidential = source_kind == "witness" and rng.random() < 0.5
        retracted = rng.random() < 0.005
        lang = language()
        title = (
            f"تقرير ميداني رقم {source_id}" if lang == "ar" else f"{publisher} report {source_id}"
        )
        yield {
            "id": source_id,
            "ref": f"syn-src-{source_id}",
            "kind": source_kind,
            "title": title,
            "url": None
            if source_kind == "witness"
            else f"https://{_slugify(publisher)}.example.org/{published:%Y/%m}/{source_id}",
            "publisher": publisher,
            "author": f"Witness W-{source_id}" if source_kind == "witness" else None,
            "language": lang,
            "published_at": published,
            "accessed_at": published + dt.timedelta(hours=rng.randint(1, 72)),
            "archive_url": f"https://archive.example.org/{source_id}"
            if rng.random() < 0.3
            else None,
            "content_sha256": f"{rng.getrandbits(256):064x}" if rng.random() < 0.5 else None,
            "reliability": reliability(),
            "is_confidential": confidential,
            "notes": "Identity withheld for the witness's safety." if confidential else None,
            "state": "retracted" if retracted else "active",
            "retraction_reason": "The outlet withdrew the report." if retracted else None,
            "version": 1,
            "created_by_id": None,
            "created_at": published + dt.timedelta(days=1),
            "updated_at": published + dt.timedelta(days=1),
        }


@dataclass
class Links:
    """Incident-source links and breached provisions, gathered while generating incidents."""

    incident: array[int] = field(default_factory=lambda: array("q"))
    source: array[int] = field(default_factory=lambda: array("q"))
    blames: array[int] = field(default_factory=lambda: array("q"))
    provision_incident: array[int] = field(default_factory=lambda: array("q"))
    provision: array[int] = field(default_factory=lambda: array("q"))


def _casualties(rng: random.Random, likely: float, scale: float) -> tuple[int | None, ...]:
    if rng.random() >= likely:
        return (None, None, None)
    best = int(rng.expovariate(1 / scale))
    low = best - rng.randint(0, best) if rng.random() < 0.4 else None
    high = best + rng.randint(0, best + 2) if rng.random() < 0.4 else None
    return (low, best, high)


class IncidentMaker:
    """Generates incidents one at a time, and records their links for the later tables."""

    def __init__(self, rng: random.Random, world: World, ids: Ids, count: int) -> None:
        self.rng = rng
        self.world = world
        self.ids = ids
        self.count = count
        self.links = Links()
        self.category = Picker(rng, [(c, c[1]) for c in CATEGORIES])
        self.date_precision = Picker(rng, DATE_PRECISIONS)
        self.location_precision = Picker(rng, LOCATION_PRECISIONS)
        self.status = Picker(rng, STATUSES)
        self.agreement = Picker(rng, [(plan, round(plan.share * 1000)) for plan in AGREEMENTS])
        self.hts_units = [world.actor_ids["hts"], *world.units.get("hts", [])]

    def rows(self) -> Iterator[Row]:
        """``count`` incidents with ids from ``ids.incidents`` on."""
        for incident_id in range(self.ids.incidents, self.ids.incidents + self.count):
            yield self.incident(incident_id)

    def _when(self, plan: AgreementPlan) -> tuple[dt.datetime, dt.datetime, str]:
        rng = self.rng
        first, last = plan.reported_from.timestamp(), plan.reported_to.timestamp()
        moment = dt.datetime.fromtimestamp(int(rng.uniform(first, last)) // 60 * 60, UTC)
        precision = self.date_precision()
        when = (
            instant(moment, TZ)
            if precision == "time"
            else interval(local_date(moment, TZ), precision, TZ)
        )
        return when.start, when.end, precision

    def _perpetrator(self, category: str) -> int | None:
        rng, world = self.rng, self.world
        if category in {"air_strike", "drone_strike"} and rng.random() < 0.95:
            return world.side(AIR_SIDE, rng)
        roll = rng.random()
        if roll < 0.05:
            return None
        if roll < 0.65:
            return world.side(GOVERNMENT_SIDE, rng)
        if roll < 0.90:
            return world.side(OPPOSITION_SIDE, rng)
        return world.side(DESIGNATED, rng)

    def incident(self, incident_id: int) -> Row:
        """One incident, with its sources and breached provisions noted in ``links``."""
        rng, world = self.rng, self.world
        plan: AgreementPlan = self.agreement()
        category, _, category_en, category_ar = self.category()
        start, end, precision = self._when(plan)
        place_id = rng.choice(world.front_place_ids if rng.random() < 0.75 else world.place_ids)
        perpetrator = self._perpetrator(category)
        target = None
        if category == "attack_on_monitoring_post":
            target = world.actor_ids["tsk-posts"]
        elif rng.random() < 0.4:
            target = (
                world.actor_ids["civilians"]
                if rng.random() < 0.5
                else world.side(OPPOSITION_SIDE, rng)
            )
        claimed_target = justification = None
        if category == "air_strike" and rng.random() < 0.15:
            claimed_target = rng.choice(self.hts_units)
            justification = "Strikes on positions of the terrorist Jabhat al-Nusra."
        weapon = rng.choice(WEAPONS[category])
        count, qualifier, period = self._count(category)
        place_en, place_ar = world.place_names[place_id]
        description_en = description_ar = None
        if rng.random() < 0.9:
            description_en = f"{category_en} on {place_en}."
        if rng.random() < 0.7:
            description_ar = f"{category_ar} على {place_ar}"
        ref = f"SYN-ACLED-{incident_id}" if rng.random() < 0.2 else None
        status = self.status()
        killed = _casualties(rng, 0.35, 3.0)
        injured = _casualties(rng, 0.35, 6.0)
        fighters = _casualties(rng, 0.6 if category == "ground_assault" else 0.1, 8.0)
        created = end + dt.timedelta(hours=rng.randint(2, 240))
        self._link(incident_id, perpetrator)
        self._breach(incident_id, plan, category)
        return {
            "id": incident_id,
            "ref": ref,
            "alleged_agreement_id": world.agreement_ids[plan.key],
            "occurred_start": start,
            "occurred_end": end,
            "occurred_on": local_date(start, TZ),
            "date_precision": precision,
            "place_id": place_id,
            "location_precision": self.location_precision(),
            "perpetrator_id": perpetrator,
            "perpetrator_confidence": rng.choice(("low", "medium", "high"))
            if perpetrator
            else None,
            "target_actor_id": target,
            "category": category,
            "weapon": weapon,
            "event_count": count,
            "count_qualifier": qualifier,
            "count_period_hours": period,
            "civilians_killed_low": killed[0],
            "civilians_killed_best": killed[1],
            "civilians_killed_high": killed[2],
            "civilians_injured_low": injured[0],
            "civilians_injured_best": injured[1],
            "civilians_injured_high": injured[2],
            "combatants_killed_low": fighters[0],
            "combatants_killed_best": fighters[1],
            "combatants_killed_high": fighters[2],
            "civilians_killed_qualifier": "exact",
            "civilians_injured_qualifier": "exact",
            "combatants_killed_qualifier": "exact",
            "description_en": description_en,
            "description_ar": description_ar,
            "claimed_justification": justification,
            "claimed_target_id": claimed_target,
            "status": status,
            "status_reason": STATUS_REASONS.get(status),
            "search_key": incident_search_key((ref, description_en, description_ar, weapon)),
            "version": 1,
            "created_by_id": None,
            "updated_by_id": None,
            "reviewed_by_id": None,
            "created_at": created,
            "updated_at": created,
        }

    def _count(self, category: str) -> tuple[int | None, str, int | None]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.25:
            return None, "exact", None
        if roll < 0.75:
            return 1, "exact", None
        if roll < 0.95:
            return rng.randint(2, 20), rng.choice(("exact", "about")), None
        high = 450 if category == "air_strike" else 120
        return rng.randint(30, high), rng.choice(("at_least", "more_than")), rng.randint(6, 48)

    def _link(self, incident_id: int, perpetrator: int | None) -> None:
        rng, links = self.rng, self.links
        roll = rng.random()
        wanted = 1 if roll < 0.6 else 2 if roll < 0.9 else 3
        total = self.world.source_count
        centre = (incident_id - self.ids.incidents) * total // self.count
        chosen: set[int] = set()
        while len(chosen) < min(wanted, total):
            chosen.add(min(total - 1, max(0, centre + rng.randint(-200, 200))))
        for offset in sorted(chosen):
            links.incident.append(incident_id)
            links.source.append(self.ids.sources + offset)
            blame = rng.random()
            if perpetrator and blame < 0.7:
                links.blames.append(perpetrator)
            elif blame < 0.85:
                links.blames.append(self.world.side(OPPOSITION_SIDE, rng))
            else:
                links.blames.append(0)

    def _breach(self, incident_id: int, plan: AgreementPlan, category: str) -> None:
        provisions = self.world.provision_ids
        chosen: list[int] = []
        if category in {"heavy_weapons_in_zone", "troop_build_up"}:
            for kind in ("heavy_weapons_withdrawal", "force_withdrawal"):
                if (plan.key, kind) in provisions:
                    chosen.append(provisions[(plan.key, kind)])
                    break
        elif (plan.key, "cease_fire") in provisions and self.rng.random() < 0.7:
            chosen.append(provisions[(plan.key, "cease_fire")])
        if (plan.key, "road_access") in provisions and self.rng.random() < 0.03:
            chosen.append(provisions[(plan.key, "road_access")])
        for provision_id in chosen:
            self.links.provision_incident.append(incident_id)
            self.links.provision.append(provision_id)


def link_rows(rng: random.Random, ids: Ids, links: Links) -> Iterator[Row]:
    """The incident-source links noted while generating incidents, with grades and excerpts."""
    created = _utc("2020-03-10T00:00:00+00:00")
    stance = Picker(rng, [("supports", 80), ("denies", 8), ("mentions", 12)])
    for n in range(len(links.incident)):
        blames = links.blames[n]
        yield {
            "id": ids.links + n,
            "incident_id": links.incident[n],
            "source_id": links.source[n],
            "credibility": rng.randint(1, 6),
            "blames_actor_id": blames or None,
            "stance": stance(),
            "excerpt": rng.choice(EXCERPTS),
            "state": "retracted" if rng.random() < 0.003 else "active",
            "created_at": created,
        }


def provision_rows(links: Links) -> Iterator[Row]:
    """The breached provisions noted while generating incidents."""
    for incident_id, provision_id in zip(links.provision_incident, links.provision, strict=True):
        yield {"incident_id": incident_id, "provision_id": provision_id}


# --- loading ------------------------------------------------------------------------------------


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Loader:
    """Writes rows table by table, one transaction each: COPY on PostgreSQL, executemany of a
    Core ``insert()`` in large batches on SQLite."""

    def __init__(self, conn: Connection, *, progress: bool) -> None:
        self.conn = conn
        self.progress = progress
        self.postgres = conn.dialect.name == "postgresql"
        if not self.postgres:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
            conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
            conn.commit()

    def load(self, table: Table, rows: Iterable[Row]) -> int:
        """Insert ``rows`` into ``table`` in one transaction; return how many."""
        started = time.perf_counter()
        with self.conn.begin():
            count = self._copy(table, rows) if self.postgres else self._insert(table, rows)
        elapsed = time.perf_counter() - started
        if self.progress:
            rate = count / elapsed if elapsed else 0.0
            print(
                f"{table.name:>20}: {count:>9,} rows in {elapsed:6.1f} s ({rate:,.0f} rows/s)",
                file=sys.stderr,
                flush=True,
            )
        return count

    def _insert(self, table: Table, rows: Iterable[Row]) -> int:
        count = 0
        statement = insert(table)
        for batch in _batches(rows, BATCH):
            self.conn.execute(statement, batch)
            count += len(batch)
        return count

    def _copy(self, table: Table, rows: Iterable[Row]) -> int:
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0
        columns = list(first)
        json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        raw = self.conn.connection.driver_connection
        count = 0
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for item in itertools.chain([first], iterator):
                copy.write_row(
                    [
                        json.dumps(item[c])
                        if c in json_columns and item[c] is not None
                        else item[c]
                        for c in columns
                    ]
                )
                count += 1
        if "id" in table.c:
            highest = self.conn.scalar(select(func.max(table.c.id)))
            self.conn.execute(
                text("SELECT setval(pg_get_serial_sequence(:name, 'id'), :value)"),
                {"name": table.name, "value": highest},
            )
        return count


def _first_free_ids(conn: Connection) -> Ids:
    def next_id(table: Table) -> int:
        return int(conn.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1

    return Ids(
        actors=next_id(Actor.__table__),  # type: ignore[arg-type]
        places=next_id(Place.__table__),  # type: ignore[arg-type]
        agreements=next_id(Agreement.__table__),  # type: ignore[arg-type]
        provisions=next_id(Provision.__table__),  # type: ignore[arg-type]
        territories=next_id(Territory.__table__),  # type: ignore[arg-type]
        parties=next_id(AgreementParty.__table__),  # type: ignore[arg-type]
        sources=next_id(Source.__table__),  # type: ignore[arg-type]
        incidents=next_id(Incident.__table__),  # type: ignore[arg-type]
        links=next_id(IncidentSource.__table__),  # type: ignore[arg-type]
    )


def populate(url: str, incidents: int, *, seed: int = 0, progress: bool = True) -> None:
    """Add a synthetic data set to the database at ``url`` (migrated first when it has no
    schema): 7 agreements, 300 actors, 5,000 places, ``incidents`` incidents over them and
    about ``incidents / 3`` sources linked 1.5 times per incident. The same ``seed`` gives the
    same data. Records already in the database are kept; the new ones take the next ids.

    :raises ValueError: when ``incidents`` is not positive.
    """
    if incidents < 1:
        raise ValueError(f"the number of incidents must be positive, not {incidents}")
    if migrate.current_revision(url) is None:
        migrate.upgrade(url)
    rng = random.Random(seed)
    engine = create_tracker_engine(url)
    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            ids = _first_free_ids(conn)
            conn.rollback()
            taken = set(conn.scalars(select(Place.pcode).where(Place.pcode.is_not(None))))
            conn.rollback()
            loader = Loader(conn, progress=progress)
            world = World(source_count=max(1, incidents // 3))
            loader.load(Actor.__table__, actor_rows(rng, ids, world))  # type: ignore[arg-type]
            loader.load(Place.__table__, place_rows(rng, ids, world, taken))  # type: ignore[arg-type]
            for table, rows in agreement_rows(ids, world).items():
                loader.load(table, rows)
            loader.load(Source.__table__, source_rows(rng, ids, world.source_count))  # type: ignore[arg-type]
            maker = IncidentMaker(rng, world, ids, incidents)
            loader.load(Incident.__table__, maker.rows())  # type: ignore[arg-type]
            loader.load(incident_provisions, provision_rows(maker.links))
            loader.load(IncidentSource.__table__, link_rows(rng, ids, maker.links))  # type: ignore[arg-type]
            with conn.begin():
                conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    if progress:
        print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``python -m bench.synthetic --url URL --incidents N [--seed S]``."""
    parser = argparse.ArgumentParser(description=populate.__doc__)
    parser.add_argument(
        "--url", required=True, help="database URL (sqlite:///... or postgresql://...)"
    )
    parser.add_argument("--incidents", type=int, required=True, help="how many incidents to add")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    try:
        populate(args.url, args.incidents, seed=args.seed, progress=not args.quiet)
    except ValueError as exc:
        parser.error(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
