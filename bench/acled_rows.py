"""Synthetic ACLED export files with realistic name variation (transliterations, hyphens,
apostrophes, articles), for the import benchmark and the import's kill tests."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from tracker.export.acled import COLUMNS

_PLACES = [
    ("Kafr Nabudah", "Hama", "As-Suqaylabiyah", "Kafr Nabudah", 35.47, 36.49),
    ("Maarat al Numan", "Idleb", "Al Mara", "Maarrat An Numan", 35.65, 36.67),
    ("Jisr Ash Shugur", "Idleb", "Jisr Ash Shugur", "Jisr Ash Shugur", 35.81, 36.32),
    ("Deir ez Zor", "Deir ez Zor", "Deir ez Zor", "Deir ez Zor", 35.33, 40.14),
    ("Al Hasakeh", "Al Hasakeh", "Al Hasakeh", "Al Hasakeh", 36.50, 40.74),
    ("Dara", "Dara", "Dara", "Dara", 32.62, 36.10),
    ("Saraqab", "Idleb", "Idleb", "Saraqab", 35.86, 36.80),
    ("Ariha", "Idleb", "Ariha", "Ariha", 35.81, 36.61),
]
_SPELLINGS = {
    "Kafr Nabudah": ["Kafr Nabudah", "Kafranbouda", "Kafr Nabutha", "Kafr-Nabudah"],
    "Maarat al Numan": ["Maarat al Numan", "Ma'arrat An Nu'man", "Maarat al-Numan"],
    "Jisr Ash Shugur": ["Jisr Ash Shugur", "Jisr-Ash-Shugur", "Jisr al-Shughur"],
    "Deir ez Zor": ["Deir ez Zor", "Deir-ez-Zor", "Dayr az Zawr"],
    "Al Hasakeh": ["Al Hasakeh", "Al-Hasakeh", "Hasakah"],
    "Dara": ["Dara", "Dar'a", "Daraa"],
}
_ACTORS = [
    ("Military Forces of Syria (2000-)", 1),
    ("Military Forces of Russia (2000-)", 8),
    ("HTS: Hayat Tahrir al Sham", 2),
    ("Hayat Tahrir al-Sham", 2),
    ("NLF: National Front for Liberation", 2),
    ("Civilians (Syria)", 7),
    ("Military Forces of Turkey (2016-)", 8),
]
_TYPES = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Battles", "Armed clash"),
]
_SOURCES = ["SOHR", "SNHR", "Liveuamap", "Step News Agency", "SY24", "Enab Baladi"]


def write_acled_file(path: Path, rows: int, *, seed: int = 7, country: str = "Syria") -> None:
    """Write ``rows`` synthetic ACLED events (ids SYNnnnnnn) to ``path``."""
    rng = random.Random(seed)
    first = dt.date(2019, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(rows):
            name, admin1, admin2, admin3, lat, lon = rng.choice(_PLACES)
            spelled = rng.choice(_SPELLINGS.get(name, [name]))
            actor1, inter1 = rng.choice(_ACTORS)
            actor2, inter2 = rng.choice(_ACTORS)
            event_type, sub_type = rng.choice(_TYPES)
            day = first + dt.timedelta(days=rng.randrange(1500))
            sources = "; ".join(rng.sample(_SOURCES, rng.randint(1, 3)))
            fatalities = rng.choice([0, 0, 0, 1, 2, 3, 5, 12])
            writer.writerow(
                [
                    f"SYN{number:07d}", day.isoformat(), day.year, rng.choice([1, 1, 1, 2, 3]),
                    "Political violence", event_type, sub_type, actor1, "", inter1, actor2, "",
                    inter2, 10 * min(inter1, inter2) + max(inter1, inter2), "", 760,
                    "Middle East", country, admin1, admin2, admin3, spelled,
                    round(lat + rng.uniform(-0.005, 0.005), 4),
                    round(lon + rng.uniform(-0.005, 0.005), 4), rng.choice([1, 1, 2, 3]),
                    sources, "Local partner-Other",
                    f"On {day:%d %B %Y}, \"{actor1}\" shelled {spelled}, {admin1}; "
                    f"{fatalities} fatalities.\nSecond line.",
                    fatalities, "", 1650000000 + number,
                ]
            )  # fmt: skip
