"""The demo data set: the Idlib agreements of 2017-2019, their parties, places and incidents."""

from __future__ import annotations

from typing import Any

ACTORS: list[dict[str, Any]] = [
    {
        "slug": "russia",
        "name_en": "Russia",
        "name_ar": "روسيا",
        "aliases": ["Russian Federation", "الاتحاد الروسي", "موسكو"],
        "kind": "state",
        "parent": None,
        "country": "RU",
    },
    {
        "slug": "turkey",
        "name_en": "Turkey",
        "name_ar": "تركيا",
        "aliases": ["Türkiye", "Republic of Turkey", "الجمهورية التركية", "أنقرة"],
        "kind": "state",
        "parent": None,
        "country": "TR",
    },
    {
        "slug": "iran",
        "name_en": "Iran",
        "name_ar": "إيران",
        "aliases": ["Islamic Republic of Iran", "الجمهورية الإسلامية الإيرانية", "ايران"],
        "kind": "state",
        "parent": None,
        "country": "IR",
    },
    {
        "slug": "syrian-government",
        "name_en": "Syrian government",
        "name_ar": "النظام السوري",
        "aliases": [
            "Government of Syria",
            "Assad government",
            "Assad regime",
            "the regime",
            "نظام الأسد",
            "الحكومة السورية",
            "النظام",
        ],
        "kind": "state",
        "parent": None,
        "country": "SY",
    },
    {
        "slug": "syrian-government-forces",
        "name_en": "Syrian government forces",
        "name_ar": "قوات النظام السوري",
        "aliases": [
            "Syrian Arab Army",
            "SAA",
            "Assad forces",
            "regime forces",
            "قوات الأسد",
            "قوات النظام",
            "الجيش العربي السوري",
            "الطائرات النظامية",
        ],
        "kind": "state_force",
        "parent": "syrian-government",
        "country": "SY",
    },
    {
        "slug": "russian-forces",
        "name_en": "Russian armed forces",
        "name_ar": "القوات الروسية",
        "aliases": [
            "Russian air force",
            "Russian Aerospace Forces",
            "VKS",
            "Russian military police",
            "الطائرات الروسية",
            "الطيران الروسي",
            "الروس",
        ],
        "kind": "foreign_state_force",
        "parent": "russia",
        "country": "RU",
    },
    {
        "slug": "turkish-army",
        "name_en": "Turkish army",
        "name_ar": "الجيش التركي",
        "aliases": ["Turkish Armed Forces", "TSK", "Turkish forces", "القوات التركية"],
        "kind": "foreign_state_force",
        "parent": "turkey",
        "country": "TR",
    },
    {
        "slug": "iranian-backed-militias",
        "name_en": "Iranian-backed militias",
        "name_ar": "المليشيات الإيرانية",
        "aliases": [
            "Iran-backed militias",
            "pro-Iranian militias",
            "الميليشيات الإيرانية",
            "المليشيات الإيرانية الحليفة",
        ],
        "kind": "militia",
        "parent": "iran",
        "country": None,
    },
    {
        "slug": "hts",
        "name_en": "Hayat Tahrir al-Sham",
        "name_ar": "هيئة تحرير الشام",
        "aliases": [
            "HTS",
            "Hayat Tahrir al-Sham",
            "Hay'at Tahrir al-Sham",
            "Tahrir al-Sham",
            "Jabhat al-Nusra",
            "Nusra Front",
            "al-Nusra Front",
            "Jabhat Fatah al-Sham",
            "هيئة تحرير الشام",
            "جبهة النصرة",
            "الهيئة",
        ],
        "kind": "designated_group",
        "parent": "al-fath-al-mubin",
        "country": None,
    },
    {
        "slug": "isis",
        "name_en": "Islamic State (ISIS)",
        "name_ar": "تنظيم الدولة",
        "aliases": [
            "ISIS",
            "ISIL",
            "IS",
            "Islamic State",
            "Daesh",
            "داعش",
            "الدواعش",
            "تنظيم الدولة الإسلامية",
        ],
        "kind": "designated_group",
        "parent": None,
        "country": None,
    },
    {
        "slug": "nfl",
        "name_en": "National Front for Liberation",
        "name_ar": "الجبهة الوطنية للتحرير",
        "aliases": [
            "NFL",
            "National Liberation Front",
            "NLF",
            "al-Jabha al-Wataniya lil-Tahrir",
            "الجبهة الوطنية",
        ],
        "kind": "armed_group",
        "parent": "al-fath-al-mubin",
        "country": None,
    },
    {
        "slug": "jaish-al-izza",
        "name_en": "Jaish al-Izza",
        "name_ar": "جيش العزة",
        "aliases": ["Jaysh al-Izza", "Jaish al-Ezzah", "Army of Glory", "فصيل جيش العزة"],
        "kind": "armed_group",
        "parent": "al-fath-al-mubin",
        "country": None,
    },
    {
        "slug": "ahrar-al-sham",
        "name_en": "Ahrar al-Sham",
        "name_ar": "أحرار الشام",
        "aliases": [
            "Harakat Ahrar al-Sham al-Islamiyya",
            "Ahrar al-Sham Islamic Movement",
            "حركة أحرار الشام",
        ],
        "kind": "armed_group",
        "parent": "nfl",
        "country": None,
    },
    {
        "slug": "suqur-al-sham",
        "name_en": "Suqur al-Sham",
        "name_ar": "صقور الشام",
        "aliases": ["Suqour al-Sham", "Sham Falcons", "ألوية صقور الشام"],
        "kind": "armed_group",
        "parent": "nfl",
        "country": None,
    },
    {
        "slug": "syrian-national-army",
        "name_en": "Syrian National Army",
        "name_ar": "الجيش الوطني",
        "aliases": [
            "SNA",
            "National Army",
            "Turkish-backed Syrian National Army",
            "الجيش الوطني السوري",
        ],
        "kind": "armed_group",
        "parent": None,
        "country": None,
    },
    {
        "slug": "ahrar-al-sharqiya",
        "name_en": "Ahrar al-Sharqiya",
        "name_ar": "تجمع أحرار الشرقية",
        "aliases": ["Ahrar al-Sharqiyah", "Ahrar al-Sharqia", "أحرار الشرقية"],
        "kind": "armed_group",
        "parent": "syrian-national-army",
        "country": None,
    },
    {
        "slug": "free-syrian-army",
        "name_en": "Free Syrian Army",
        "name_ar": "الجيش الحر",
        "aliases": ["FSA", "الجيش السوري الحر"],
        "kind": "armed_group",
        "parent": None,
        "country": None,
    },
    {
        "slug": "jaish-al-fath",
        "name_en": "Jaish al-Fath",
        "name_ar": "جيش الفتح",
        "aliases": ["Army of Conquest", "Jaysh al-Fatah", "غرفة عمليات جيش الفتح"],
        "kind": "operations_room",
        "parent": None,
        "country": None,
    },
    {
        "slug": "al-fath-al-mubin",
        "name_en": "al-Fath al-Mubin operations room",
        "name_ar": "غرفة عمليات الفتح المبين",
        "aliases": ["al-Fath al-Mubin", "Al-Fatah al-Mubin", "Fath Mubin", "الفتح المبين"],
        "kind": "operations_room",
        "parent": None,
        "country": None,
    },
    {
        "slug": "civilians",
        "name_en": "Civilians",
        "name_ar": "المدنيون",
        "aliases": ["civilian population", "المدنيين", "الأهالي"],
        "kind": "civilians",
        "parent": None,
        "country": None,
    },
]

PLACES: list[dict[str, Any]] = [
    {
        "slug": "idlib-city",
        "name_en": "Idlib",
        "name_ar": "إدلب",
        "aliases": ["Idleb", "Edlib", "Idlib city", "مدينة إدلب", "ادلب"],
        "kind": "city",
        "pcode": "C3871",
        "admin1_name": "Idleb",
        "admin1_pcode": "SY07",
        "admin2_name": "Idleb",
        "admin2_pcode": "SY0700",
        "admin3_name": "Idleb",
        "admin3_pcode": "SY070000",
        "latitude": 35.929008,
        "longitude": 36.635276,
    },
    {
        "slug": "kafr-nabudah",
        "name_en": "Kafr Nabudah",
        "name_ar": "كفرنبودة",
        "aliases": [
            "Kafranbouda",
            "Kafr Nabutha",
            "Kafr Nbouda",
            "Kafr Nabuda",
            "Kafr Nabodeh",
            "Kafr Nabudeh",
            "Kafranbuda",
            "كفر نبودة",
            "كفرنبوده",
        ],
        "kind": "town",
        "pcode": "C3209",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.432232,
        "longitude": 36.490839,
    },
    {
        "slug": "al-hamamiyat",
        "name_en": "al-Hamamiyat",
        "name_ar": "الحماميات",
        "aliases": [
            "Hamamiyat",
            "Hmamiyat",
            "al-Hamamiyyat",
            "Hamameyat",
            "حماميات",
            "بلدة الحماميات",
        ],
        "kind": "town",
        "pcode": "C3459",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "Muhradah",
        "admin2_pcode": "SY0505",
        "admin3_name": "Kafr Zeita",
        "admin3_pcode": "SY050501",
        "latitude": 35.378961,
        "longitude": 36.538136,
    },
    {
        "slug": "al-hamamiyat-hill",
        "name_en": "al-Hamamiyat hill",
        "name_ar": "تلة الحماميات",
        "aliases": ["Tell al-Hamamiyat", "Tal al-Hamamiyat", "Hamamiyat hill", "تل الحماميات"],
        "kind": "hill",
        "pcode": None,
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "Muhradah",
        "admin2_pcode": "SY0505",
        "admin3_name": "Kafr Zeita",
        "admin3_pcode": "SY050501",
        "latitude": 35.3835,
        "longitude": 36.5455,
    },
    {
        "slug": "tell-malah",
        "name_en": "Tell Malah",
        "name_ar": "تل ملح",
        "aliases": ["Tal Milh", "Tal Malah", "Tell Meleh", "Tal Mileh", "Tall Milh", "تل ملح"],
        "kind": "village",
        "pcode": "C3445",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "Muhradah",
        "admin2_pcode": "SY0505",
        "admin3_name": "Muhradah",
        "admin3_pcode": "SY050500",
        "latitude": 35.305808,
        "longitude": 36.518613,
    },
    {
        "slug": "al-jubayn",
        "name_en": "al-Jubayn",
        "name_ar": "الجبين",
        "aliases": ["Jbine", "al-Jbein", "al-Jabin", "Jubain", "Jbeen", "جبين", "جبين - كرناز"],
        "kind": "village",
        "pcode": "C3466",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "Muhradah",
        "admin2_pcode": "SY0505",
        "admin3_name": "Karnaz",
        "admin3_pcode": "SY050502",
        "latitude": 35.338399,
        "longitude": 36.512851,
    },
    {
        "slug": "hmeimim-airbase",
        "name_en": "Hmeimim airbase",
        "name_ar": "قاعدة حميميم",
        "aliases": [
            "Khmeimim",
            "Humaymim",
            "Hmeimim Air Base",
            "Khmeimim air base",
            "Basil al-Assad airport",
            "قاعدة حميميم الجوية",
            "مطار حميميم",
        ],
        "kind": "base",
        "pcode": None,
        "admin1_name": "Lattakia",
        "admin1_pcode": "SY06",
        "admin2_name": "Jablah",
        "admin2_pcode": "SY0602",
        "admin3_name": "Jablah",
        "admin3_pcode": "SY060200",
        "latitude": 35.4011,
        "longitude": 35.9486,
    },
    {
        "slug": "abu-al-duhur-airbase",
        "name_en": "Abu al-Duhur airbase",
        "name_ar": "مطار أبو الظهور العسكري",
        "aliases": [
            "Abu al-Zuhur airbase",
            "Abu Dhuhur military airport",
            "Abu al-Dhuhur air base",
            "Abul Thohur airport",
            "مطار أبو الظهور",
        ],
        "kind": "airport",
        "pcode": None,
        "admin1_name": "Idleb",
        "admin1_pcode": "SY07",
        "admin2_name": "Idleb",
        "admin2_pcode": "SY0700",
        "admin3_name": "Abul Thohur",
        "admin3_pcode": "SY070001",
        "latitude": 35.7317,
        "longitude": 37.1039,
    },
    {
        "slug": "kabani",
        "name_en": "Kabani hills",
        "name_ar": "تلال كبينة",
        "aliases": [
            "Kabani",
            "Kabaneh",
            "Kbeinah",
            "Kubbanah",
            "Kabana",
            "كباني",
            "كبانة",
            "كبينة",
        ],
        "kind": "hill",
        "pcode": None,
        "admin1_name": "Lattakia",
        "admin1_pcode": "SY06",
        "admin2_name": "Al-Haffa",
        "admin2_pcode": "SY0603",
        "admin3_name": "Kansaba",
        "admin3_pcode": "SY060303",
        "latitude": 35.715,
        "longitude": 36.236,
    },
    {
        "slug": "jabal-al-akrad",
        "name_en": "Jabal al-Akrad",
        "name_ar": "جبل الأكراد",
        "aliases": ["Kurd Mountain", "Jebel al-Akrad", "Jabal Akrad", "جبل الاكراد"],
        "kind": "mountain",
        "pcode": None,
        "admin1_name": "Lattakia",
        "admin1_pcode": "SY06",
        "admin2_name": "Al-Haffa",
        "admin2_pcode": "SY0603",
        "admin3_name": "Kansaba",
        "admin3_pcode": "SY060303",
        "latitude": 35.735,
        "longitude": 36.2,
    },
    {
        "slug": "jabal-al-turkman",
        "name_en": "Jabal al-Turkman",
        "name_ar": "جبل التركمان",
        "aliases": [
            "Turkmen Mountain",
            "Jebel Turkman",
            "Bayirbucak",
            "Bayırbucak",
            "جبل التركمان",
        ],
        "kind": "mountain",
        "pcode": None,
        "admin1_name": "Lattakia",
        "admin1_pcode": "SY06",
        "admin2_name": "Lattakia",
        "admin2_pcode": "SY0600",
        "admin3_name": "Rabee'a",
        "admin3_pcode": "SY060002",
        "latitude": 35.82,
        "longitude": 35.99,
    },
    {
        "slug": "uqayribat",
        "name_en": "Uqayribat",
        "name_ar": "عقيربات",
        "aliases": ["Oqeirbat", "Aqirbat", "Uqeirbat", "Akirbat", "عقيربات"],
        "kind": "town",
        "pcode": "C3315",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Salamiyeh",
        "admin2_pcode": "SY0503",
        "admin3_name": "Oqeirbat",
        "admin3_pcode": "SY050304",
        "latitude": 35.042817,
        "longitude": 37.465139,
    },
    {
        "slug": "qalat-al-madiq",
        "name_en": "Qal'at al-Madiq",
        "name_ar": "قلعة المضيق",
        "aliases": [
            "Qalaat al-Madiq",
            "Madiq Castle",
            "Qalat al-Mudiq",
            "Qalaat al-Mudiq",
            "قلعة المضيق",
        ],
        "kind": "town",
        "pcode": "C3207",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.414389,
        "longitude": 36.388952,
    },
    {
        "slug": "khan-shaykhun",
        "name_en": "Khan Shaykhun",
        "name_ar": "خان شيخون",
        "aliases": [
            "Khan Shaykun",
            "Khan Sheikhoun",
            "Khan Sheikhun",
            "Khan Shaykhoun",
            "خان شيخون",
        ],
        "kind": "town",
        "pcode": "C3987",
        "admin1_name": "Idleb",
        "admin1_pcode": "SY07",
        "admin2_name": "Al Ma'ra",
        "admin2_pcode": "SY0702",
        "admin3_name": "Khan Shaykun",
        "admin3_pcode": "SY070201",
        "latitude": 35.443735,
        "longitude": 36.650373,
    },
    {
        "slug": "maarat-al-numan",
        "name_en": "Maarat al-Numan",
        "name_ar": "معرة النعمان",
        "aliases": [
            "Ma'arrat An Nu'man",
            "Maarrat al-Numan",
            "Ma'arat al-Nu'man",
            "Maaret al-Numan",
            "al-Ma'arra",
            "المعرة",
        ],
        "kind": "city",
        "pcode": "C3985",
        "admin1_name": "Idleb",
        "admin1_pcode": "SY07",
        "admin2_name": "Al Ma'ra",
        "admin2_pcode": "SY0702",
        "admin3_name": "Ma'arrat An Nu'man",
        "admin3_pcode": "SY070200",
        "latitude": 35.647569,
        "longitude": 36.676587,
    },
    {
        "slug": "jisr-al-shughur",
        "name_en": "Jisr al-Shughur",
        "name_ar": "جسر الشغور",
        "aliases": ["Jisr-Ash-Shugur", "Jisr ash-Shughur", "Jisr al-Shugur", "Jisr al-Shoghour"],
        "kind": "city",
        "pcode": "C4199",
        "admin1_name": "Idleb",
        "admin1_pcode": "SY07",
        "admin2_name": "Jisr-Ash-Shugur",
        "admin2_pcode": "SY0704",
        "admin3_name": "Jisr-Ash-Shugur",
        "admin3_pcode": "SY070400",
        "latitude": 35.814181,
        "longitude": 36.314953,
    },
    {
        "slug": "morek",
        "name_en": "Morek",
        "name_ar": "مورك",
        "aliases": ["Murak", "Mork", "Mourek", "Murek"],
        "kind": "town",
        "pcode": "C3029",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "Hama",
        "admin2_pcode": "SY0501",
        "admin3_name": "Suran",
        "admin3_pcode": "SY050101",
        "latitude": 35.373927,
        "longitude": 36.689318,
    },
    {
        "slug": "saraqib",
        "name_en": "Saraqib",
        "name_ar": "سراقب",
        "aliases": ["Saraqab", "Saraqeb", "Sarakeb"],
        "kind": "city",
        "pcode": "C3916",
        "admin1_name": "Idleb",
        "admin1_pcode": "SY07",
        "admin2_name": "Idleb",
        "admin2_pcode": "SY0700",
        "admin3_name": "Saraqab",
        "admin3_pcode": "SY070003",
        "latitude": 35.861105,
        "longitude": 36.80611,
    },
    {
        "slug": "al-jabriyah",
        "name_en": "al-Jabriyah",
        "name_ar": "الجابرية",
        "aliases": ["Jabriyeh", "al-Jabiriyah", "Jaberiyeh", "جابرية"],
        "kind": "village",
        "pcode": None,
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.43,
        "longitude": 36.42,
    },
    {
        "slug": "al-huwayz",
        "name_en": "al-Huwayz",
        "name_ar": "الحويز",
        "aliases": ["Huweiz", "Eastern Huweiz", "al-Hwaiz", "al-Hweiz", "الحويز الشمالي"],
        "kind": "village",
        "pcode": "C3194",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.498977,
        "longitude": 36.359339,
    },
    {
        "slug": "al-karkat",
        "name_en": "al-Karkat",
        "name_ar": "الكركات",
        "aliases": ["Karkat", "Kirkat", "Kerkat", "Harsh al-Karkat", "كركت"],
        "kind": "village",
        "pcode": "C7880",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.476848,
        "longitude": 36.383975,
    },
    {
        "slug": "bab-al-taqa",
        "name_en": "Bab al-Taqa",
        "name_ar": "باب الطاقة",
        "aliases": ["Bab Eltaqa", "Bab at-Taqa", "Bab Taqa"],
        "kind": "village",
        "pcode": "C3199",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.448607,
        "longitude": 36.380573,
    },
    {
        "slug": "al-qasabiyah",
        "name_en": "al-Qasabiyah",
        "name_ar": "القصابية",
        "aliases": ["Qasabiyeh", "al-Qassabiyah", "Qassabiyeh"],
        "kind": "village",
        "pcode": "C3986",
        "admin1_name": "Idleb",
        "admin1_pcode": "SY07",
        "admin2_name": "Al Ma'ra",
        "admin2_pcode": "SY0702",
        "admin3_name": "Khan Shaykun",
        "admin3_pcode": "SY070201",
        "latitude": 35.46682,
        "longitude": 36.494504,
    },
    {
        "slug": "hardana",
        "name_en": "Hardana",
        "name_ar": "حردانة",
        "aliases": ["al-Hardana", "Hardaneh", "الحردانة"],
        "kind": "village",
        "pcode": None,
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.47,
        "longitude": 36.44,
    },
    {
        "slug": "qiratah",
        "name_en": "Qiratah",
        "name_ar": "قيراطة",
        "aliases": ["Qirata", "Qeirata", "قيراطة - قلعة المضيق"],
        "kind": "village",
        "pcode": "C3206",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.473735,
        "longitude": 36.454379,
    },
    {
        "slug": "al-humayrat",
        "name_en": "al-Humayrat",
        "name_ar": "الحميرات",
        "aliases": ["Hmeirat", "al-Hmeirat", "Humeirat"],
        "kind": "village",
        "pcode": "C3187",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.460173,
        "longitude": 36.455778,
    },
    {
        "slug": "tell-othman",
        "name_en": "Tell Othman",
        "name_ar": "تل عثمان",
        "aliases": ["Tal Othman", "Tell Uthman", "Tal Osman", "Tall Uthman"],
        "kind": "village",
        "pcode": None,
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.42,
        "longitude": 36.475,
    },
    {
        "slug": "al-janabira",
        "name_en": "al-Janabira",
        "name_ar": "الجنابرة",
        "aliases": ["Jannabra", "al-Jnabra", "al-Janabra", "Jnabra"],
        "kind": "village",
        "pcode": None,
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "As-Suqaylabiyah",
        "admin3_pcode": "SY050200",
        "latitude": 35.41,
        "longitude": 36.47,
    },
    {
        "slug": "al-tuba",
        "name_en": "al-Tuba",
        "name_ar": "التوبة",
        "aliases": ["Tobeh", "al-Tubah", "al-Toubeh", "Tuba"],
        "kind": "village",
        "pcode": "C3142",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Tell Salhib",
        "admin3_pcode": "SY050201",
        "latitude": 35.316115,
        "longitude": 36.324408,
    },
    {
        "slug": "al-hawash",
        "name_en": "al-Hawash",
        "name_ar": "الهواش",
        "aliases": ["Tal Hawash", "Tell Hawash", "al-Hawwash", "Hawash", "تل هواش"],
        "kind": "village",
        "pcode": "C3197",
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.445381,
        "longitude": 36.456562,
    },
    {
        "slug": "turkish-op-9-morek",
        "name_en": "Turkish observation point 9, Morek",
        "name_ar": "نقطة المراقبة التركية التاسعة في مورك",
        "aliases": [
            "Morek observation point",
            "Turkish observation post Morek",
            "OP 9",
            "نقطة مورك",
            "نقطة المراقبة التركية في مورك",
        ],
        "kind": "monitoring_post",
        "pcode": None,
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "Hama",
        "admin2_pcode": "SY0501",
        "admin3_name": "Suran",
        "admin3_pcode": "SY050101",
        "latitude": 35.382,
        "longitude": 36.7,
    },
    {
        "slug": "turkish-op-sher-mughar",
        "name_en": "Turkish observation point at Sher Mughar",
        "name_ar": "نقطة المراقبة التركية في شير مغار",
        "aliases": [
            "Sher Maghar observation point",
            "Shir Mughar",
            "Sher Mughar",
            "Shir Maghar",
            "Observation point 10",
            "شير مغار",
            "نقطة شير مغار",
        ],
        "kind": "monitoring_post",
        "pcode": None,
        "admin1_name": "Hama",
        "admin1_pcode": "SY05",
        "admin2_name": "As-Suqaylabiyah",
        "admin2_pcode": "SY0502",
        "admin3_name": "Madiq Castle",
        "admin3_pcode": "SY050204",
        "latitude": 35.53,
        "longitude": 36.42,
    },
    {
        "slug": "kafarya",
        "name_en": "Kafarya",
        "name_ar": "كفريا",
        "aliases": ["Kafraya", "Kefraya", "Kfarya", "كفريا - معرة تمصرين"],
        "kind": "village",
        "pcode": "C3952",
        "admin1_name": "Idleb",
        "admin1_pcode": "SY07",
        "admin2_name": "Idleb",
        "admin2_pcode": "SY0700",
        "admin3_name": "Maaret Tamsrin",
        "admin3_pcode": "SY070005",
        "latitude": 35.989886,
        "longitude": 36.676891,
    },
    {
        "slug": "al-fuah",
        "name_en": "al-Fu'ah",
        "name_ar": "الفوعة",
        "aliases": ["Foah", "al-Fuaa", "al-Foua", "Fua", "al-Fou'a", "فوعة"],
        "kind": "town",
        "pcode": "C3905",
        "admin1_name": "Idleb",
        "admin1_pcode": "SY07",
        "admin2_name": "Idleb",
        "admin2_pcode": "SY0700",
        "admin3_name": "Bennsh",
        "admin3_pcode": "SY070002",
        "latitude": 35.982022,
        "longitude": 36.703584,
    },
]

AGREEMENTS: list[dict[str, Any]] = [
    {
        "slug": "astana-2017",
        "kind": "de_escalation_zone",
        "name_en": "Astana memorandum on the creation of de-escalation areas",
        "name_ar": "مذكرة أستانة حول إنشاء مناطق خفض التصعيد",
        "signed_on": "2017-05-04",
        "effective_from": "2017-05-06T00:00:00+03:00",
        "expires_at": None,
        "is_unilateral": False,
        "parent": None,
        "summary_en": (
            "Signed in Astana by the three guarantors Russia, Turkey and Iran: a ceasefire in "
            "four de-escalation areas (Idlib with parts of Hama, Latakia and Aleppo; north Homs; "
            "Eastern Ghouta; Daraa and Quneitra). Fighting against groups designated as "
            "terrorist (ISIS, Nusra/HTS) is excluded. Turkey set up 12 observation points in the "
            "Idlib area to monitor and report violations."
        ),
        "summary_ar": (
            "وقعته الدول الضامنة الثلاث (روسيا وتركيا وإيران) في أستانة: وقف لإطلاق النار في "
            "أربع مناطق لخفض التصعيد (إدلب وأجزاء من حماة واللاذقية وحلب، وريف حمص الشمالي، "
            "والغوطة الشرقية، ودرعا والقنيطرة)، مع استمرار القتال ضد التنظيمات المصنفة إرهابية "
            "مثل «هيئة تحرير الشام» و«تنظيم الدولة». وأنشأت تركيا 12 نقطة مراقبة لرصد الخروقات "
            "وإرسال التقارير."
        ),
        "text_url": None,
        "pax_id": 2093,
        "parties": [
            {
                "actor": "russia",
                "role": "guarantor",
                "note": None,
            },
            {
                "actor": "turkey",
                "role": "guarantor",
                "note": None,
            },
            {
                "actor": "iran",
                "role": "guarantor",
                "note": None,
            },
            {
                "actor": "syrian-government",
                "role": "bound",
                "note": "Bound through its guarantor Russia.",
            },
            {
                "actor": "nfl",
                "role": "bound",
                "note": "Opposition factions in the Idlib area, through Turkey.",
            },
            {
                "actor": "jaish-al-izza",
                "role": "bound",
                "note": None,
            },
            {
                "actor": "ahrar-al-sham",
                "role": "bound",
                "note": None,
            },
            {
                "actor": "suqur-al-sham",
                "role": "bound",
                "note": None,
            },
            {
                "actor": "hts",
                "role": "excluded",
                "note": (
                    "Designated terrorist group: fighting against it is excluded from the "
                    "ceasefire."
                ),
            },
            {
                "actor": "isis",
                "role": "excluded",
                "note": (
                    "Designated terrorist group: fighting against it is excluded from the "
                    "ceasefire."
                ),
            },
        ],
        "provisions": [
            {
                "code": "ASTANA-1",
                "title_en": "Cessation of hostilities in the de-escalation areas",
                "title_ar": "وقف الأعمال القتالية في مناطق خفض التصعيد",
                "text": (
                    "Cease hostilities between the conflicting parties, including air strikes, "
                    "within the de-escalation areas."
                ),
                "kind": "cease_fire",
                "deadline": None,
            },
            {
                "code": "ASTANA-2",
                "title_en": "Humanitarian access",
                "title_ar": "وصول المساعدات الإنسانية",
                "text": (
                    "Rapid, safe and unhindered humanitarian access, and conditions for the "
                    "return of displaced people."
                ),
                "kind": "humanitarian",
                "deadline": None,
            },
            {
                "code": "ASTANA-3",
                "title_en": "Observation points along the security zones",
                "title_ar": "نقاط المراقبة على حدود المناطق",
                "text": (
                    "Security zones with checkpoints and observation posts along the edges of "
                    "the areas; in the Idlib area Turkey set up 12 observation points that "
                    "monitor and report violations."
                ),
                "kind": "monitoring",
                "deadline": None,
            },
            {
                "code": "ASTANA-4",
                "title_en": "Fight against designated terrorist groups continues",
                "title_ar": "مواصلة القتال ضد التنظيمات المصنفة إرهابية",
                "text": (
                    "The guarantors continue to fight ISIS, Jabhat al-Nusra and associated "
                    "groups inside and outside the de-escalation areas, and keep them from "
                    "exploiting the ceasefire."
                ),
                "kind": "other",
                "deadline": None,
            },
        ],
        "territories": [
            {
                "name_en": (
                    "Idlib de-escalation area (Idlib, north Hama, north Latakia, west Aleppo)"
                ),
                "name_ar": "منطقة خفض التصعيد في إدلب وما حولها",
                "geometry": None,
                "admin_pcodes": [
                    "SY07",
                    "SY050101",
                    "SY050103",
                    "SY050200",
                    "SY050201",
                    "SY050202",
                    "SY050204",
                    "SY050500",
                    "SY050501",
                    "SY050502",
                    "SY060002",
                    "SY060301",
                    "SY060303",
                    "SY020001",
                    "SY020003",
                    "SY020004",
                    "SY020005",
                ],
            },
            {
                "name_en": "North Homs, Eastern Ghouta and southern (Daraa, Quneitra) areas",
                "name_ar": "ريف حمص الشمالي والغوطة الشرقية ودرعا والقنيطرة",
                "geometry": None,
                "admin_pcodes": [
                    "SY0404",
                    "SY040101",
                    "SY030200",
                    "SY030201",
                    "SY030204",
                    "SY030104",
                    "SY030105",
                    "SY030106",
                    "SY12",
                    "SY14",
                ],
            },
        ],
        "sources": [
            {
                "source": "astana-memorandum-2017-05-04",
                "claim": "Signed on 4 May 2017; in force from 6 May 2017.",
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "sasa-post-2019-08-03",
                "claim": (
                    "Signed by Russia, Turkey and Iran on 4 May 2017; fighting against HTS "
                    "continues."
                ),
                "stance": "supports",
                "excerpt": (
                    "وقعت كل من الدول الثلاث الضامنة (روسيا وتركيا وإيران) في تاريخ في 4 مايو "
                    "(آيار) 2017"
                ),
            },
            {
                "source": "sasa-post-2019-08-03",
                "claim": "Turkey set up 12 observation points to monitor and report violations.",
                "stance": "supports",
                "excerpt": (
                    "قيام تركيا إنشاء 12 نقطة مراقبة، تتمحور مهمتها في رصد الخروقات وإرسال التقارير"
                ),
            },
        ],
    },
    {
        "slug": "kafarya-fuah-2018",
        "kind": "evacuation_deal",
        "name_en": "Kafarya and al-Fu'ah evacuation deal",
        "name_ar": "اتفاق كفريا والفوعة",
        "signed_on": "2018-07-17",
        "effective_from": "2018-07-18T00:00:00+03:00",
        "expires_at": "2018-07-20T00:00:00+03:00",
        "is_unilateral": False,
        "parent": None,
        "summary_en": (
            "Negotiated between Iran and the opposition factions besieging the two Shia villages "
            "east of Idlib city: the residents and fighters of Kafarya and al-Fu'ah were "
            "evacuated in exchange for the release of 1,500 detainees from government prisons. "
            "The last fighter left on 19 July 2018."
        ),
        "summary_ar": (
            "اتفاق بين إيران وفصائل المعارضة المحاصِرة للقريتين: إجلاء أهالي ومقاتلي كفريا "
            "والفوعة مقابل الإفراج عن 1500 من المعتقلين في سجون النظام، وخرج آخر مقاتل في 19 "
            "يوليو (تموز) 2018."
        ),
        "text_url": None,
        "pax_id": None,
        "parties": [
            {
                "actor": "iran",
                "role": "signatory",
                "note": "Asked for the negotiation with the factions.",
            },
            {
                "actor": "hts",
                "role": "signatory",
                "note": "Reported to have negotiated for the factions besieging the villages.",
            },
            {
                "actor": "syrian-government",
                "role": "bound",
                "note": "To release the 1,500 detainees.",
            },
        ],
        "provisions": [
            {
                "code": "KF-1",
                "title_en": "Evacuation of Kafarya and al-Fu'ah",
                "title_ar": "إجلاء كفريا والفوعة",
                "text": "Buses enter the two villages and evacuate their residents and fighters.",
                "kind": "humanitarian",
                "deadline": None,
            },
            {
                "code": "KF-2",
                "title_en": "Release of 1,500 detainees",
                "title_ar": "الإفراج عن 1500 معتقل",
                "text": "Release of 1,500 detainees held in government prisons.",
                "kind": "humanitarian",
                "deadline": None,
            },
        ],
        "territories": [
            {
                "name_en": "Kafarya and al-Fu'ah",
                "name_ar": "كفريا والفوعة",
                "geometry": None,
                "admin_pcodes": ["SY070002", "SY070005"],
            },
        ],
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "claim": "The last fighter left Kafarya and al-Fu'ah on 19 July 2018.",
                "stance": "supports",
                "excerpt": "وخرج آخر مقاتل من كفريا والفوعة في تاريخ 19 يوليو (تموز) 2018",
            },
            {
                "source": "sasa-post-2019-08-03",
                "claim": "The factions' conditions included the release of 1,500 detainees.",
                "stance": "supports",
                "excerpt": "الإفراج عن 1500 من المعتقلين في سجون النظام",
            },
            {
                "source": "ahmed-rislan-2019-08",
                "claim": (
                    "The quick evacuation was part of an undisclosed deal under the Astana track."
                ),
                "stance": "mentions",
                "excerpt": None,
            },
        ],
    },
    {
        "slug": "sochi-2018",
        "kind": "demilitarized_zone",
        "name_en": "Sochi memorandum on the Idlib de-escalation area",
        "name_ar": "اتفاق سوتشي حول إدلب",
        "signed_on": "2018-09-17",
        "effective_from": "2018-09-17T00:00:00+03:00",
        "expires_at": None,
        "is_unilateral": False,
        "parent": "astana-2017",
        "summary_en": (
            "Agreed by Presidents Putin and Erdogan in Sochi and signed by the two defence "
            "ministers: a demilitarized zone 15-20 km deep along the contact line in Idlib and "
            "parts of Latakia and Hama; heavy weapons out by 10 October 2018, radical groups "
            "(explicitly HTS) out by 15 October 2018; joint Russian-Turkish patrols; the M4 "
            "(Aleppo-Latakia) and M5 (Aleppo-Hama) roads reopened by the end of 2018."
        ),
        "summary_ar": (
            "توصل إليه الرئيسان بوتين وأردوغان في سوتشي: منطقة عازلة منزوعة السلاح بعرض 15-20 كم "
            "على طول خط التماس في إدلب وأجزاء من ريفي اللاذقية وحماة، وسحب السلاح الثقيل منها، "
            "وخروج «هيئة تحرير الشام»، ودوريات روسية تركية مشتركة، وفتح طريقي حلب-اللاذقية "
            "وحلب-حماة."
        ),
        "text_url": "https://undocs.org/S/2018/852",
        "pax_id": 2169,
        "parties": [
            {
                "actor": "russia",
                "role": "signatory",
                "note": "Signed by the defence minister.",
            },
            {
                "actor": "turkey",
                "role": "signatory",
                "note": "Signed by the defence minister.",
            },
            {
                "actor": "syrian-government",
                "role": "bound",
                "note": "Through Russia; forces to withdraw.",
            },
            {
                "actor": "nfl",
                "role": "bound",
                "note": "Withdrew its heavy weapons from the zone.",
            },
            {
                "actor": "jaish-al-izza",
                "role": "bound",
                "note": None,
            },
            {
                "actor": "ahrar-al-sham",
                "role": "bound",
                "note": None,
            },
            {
                "actor": "hts",
                "role": "excluded",
                "note": "Required to leave the demilitarized zone.",
            },
            {
                "actor": "isis",
                "role": "excluded",
                "note": None,
            },
        ],
        "provisions": [
            {
                "code": "SOCHI-1",
                "title_en": "Ceasefire and status quo in the Idlib area",
                "title_ar": "وقف إطلاق النار والحفاظ على الوضع القائم",
                "text": (
                    "Russia takes all measures to avoid military operations and attacks on "
                    "Idlib; the existing status quo is maintained."
                ),
                "kind": "cease_fire",
                "deadline": None,
            },
            {
                "code": "SOCHI-2",
                "title_en": "Demilitarized zone 15-20 km deep",
                "title_ar": "منطقة منزوعة السلاح بعرض 15-20 كم",
                "text": (
                    "A demilitarized zone 15-20 km deep inside the de-escalation area, along the "
                    "contact line; the warring parties withdraw from it."
                ),
                "kind": "force_withdrawal",
                "deadline": None,
            },
            {
                "code": "SOCHI-3",
                "title_en": "Heavy weapons out of the zone by 10 October 2018",
                "title_ar": "سحب السلاح الثقيل بحلول 10 أكتوبر 2018",
                "text": (
                    "All tanks, multiple rocket launchers, artillery and mortars of the warring "
                    "parties are withdrawn from the demilitarized zone by 10 October 2018."
                ),
                "kind": "heavy_weapons_withdrawal",
                "deadline": "2018-10-10T00:00:00+03:00",
            },
            {
                "code": "SOCHI-4",
                "title_en": "Radical groups out of the zone by 15 October 2018",
                "title_ar": "خروج الجماعات المتطرفة بحلول 15 أكتوبر 2018",
                "text": (
                    "All radical terrorist groups, including HTS, leave the demilitarized zone "
                    "by 15 October 2018."
                ),
                "kind": "force_withdrawal",
                "deadline": "2018-10-15T00:00:00+03:00",
            },
            {
                "code": "SOCHI-5",
                "title_en": "Joint Russian-Turkish patrols",
                "title_ar": "دوريات روسية تركية مشتركة",
                "text": (
                    "Turkish forces and Russian military police carry out coordinated patrols "
                    "and drone monitoring along the boundaries of the demilitarized zone."
                ),
                "kind": "patrols",
                "deadline": None,
            },
            {
                "code": "SOCHI-6",
                "title_en": "M4 and M5 reopened by the end of 2018",
                "title_ar": "فتح طريقي حلب-اللاذقية وحلب-حماة قبل نهاية 2018",
                "text": (
                    "Transit traffic restored on the M4 (Aleppo-Latakia) and M5 (Aleppo-Hama) "
                    "roads by the end of 2018."
                ),
                "kind": "road_access",
                "deadline": "2019-01-01T00:00:00+03:00",
            },
            {
                "code": "SOCHI-7",
                "title_en": "Turkish observation points kept and fortified",
                "title_ar": "تحصين نقاط المراقبة التركية",
                "text": (
                    "The Idlib de-escalation area is preserved and the Turkish observation "
                    "points are fortified and continue to function."
                ),
                "kind": "monitoring",
                "deadline": None,
            },
        ],
        "territories": [
            {
                "name_en": "Demilitarized zone, 15-20 km along the contact line (approximate)",
                "name_ar": "المنطقة منزوعة السلاح على طول خط التماس (تقريبية)",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [36.1, 35.95],
                            [36.12, 35.85],
                            [36.14, 35.76],
                            [36.17, 35.69],
                            [36.22, 35.62],
                            [36.28, 35.54],
                            [36.3, 35.45],
                            [36.33, 35.36],
                            [36.42, 35.3],
                            [36.49, 35.27],
                            [36.58, 35.27],
                            [36.66, 35.29],
                            [36.74, 35.33],
                            [36.85, 35.37],
                            [36.95, 35.4],
                            [37.0, 35.46],
                            [37.02, 35.58],
                            [37.0, 35.68],
                            [36.98, 35.8],
                            [37.0, 35.9],
                            [37.06, 36.0],
                            [37.1, 36.1],
                            [37.1, 36.2],
                            [37.04, 36.27],
                            [36.96, 36.3],
                            [36.86, 36.25],
                            [36.87, 36.12],
                            [36.84, 36.01],
                            [36.78, 35.93],
                            [36.76, 35.84],
                            [36.74, 35.72],
                            [36.7, 35.62],
                            [36.6, 35.56],
                            [36.52, 35.58],
                            [36.44, 35.66],
                            [36.4, 35.76],
                            [36.37, 35.86],
                            [36.3, 35.91],
                            [36.22, 35.96],
                            [36.1, 35.95],
                        ],
                    ],
                },
                "admin_pcodes": None,
            },
        ],
        "sources": [
            {
                "source": "unsc-s-2018-852",
                "claim": (
                    "Heavy weapons out of the zone by 10 October 2018; radical groups by 15 "
                    "October; M4 and M5 reopened by the end of 2018."
                ),
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "sasa-post-2019-08-03",
                "claim": "The buffer zone is 15-20 km wide along the contact line.",
                "stance": "supports",
                "excerpt": "بعرض يتراوح بين 15- 20 كم على طول خط التماس",
            },
            {
                "source": "sasa-post-2019-08-03",
                "claim": "The summit that produced the memorandum was held on 17 September 2018.",
                "stance": "supports",
                "excerpt": "في مدينة سوتشي الروسية بتاريخ في 17 سبتمبر (أيلول) 2018",
            },
        ],
    },
    {
        "slug": "truce-2019-05-17",
        "kind": "truce",
        "name_en": "72-hour truce of May 2019",
        "name_ar": "هدنة الـ72 ساعة (مايو 2019)",
        "signed_on": "2019-05-17",
        "effective_from": "2019-05-18T00:00:00+03:00",
        "expires_at": "2019-05-21T00:00:00+03:00",
        "is_unilateral": False,
        "parent": "sochi-2018",
        "summary_en": (
            "Agreed on 17 May 2019 at the first meeting of the Russian-Turkish joint working "
            "group on Syria, after it failed to reach a lasting ceasefire: 72 hours without "
            "fighting. Breached at once. The Russian reconciliation centre described it as a "
            "unilateral ceasefire by Syrian forces from 00:00 on 18 May; HTS and the National "
            "Front for Liberation rejected it."
        ),
        "summary_ar": (
            "اتُّفق عليها في الاجتماع الأول لمجموعة العمل المشتركة الروسية التركية حول سوريا في "
            "17 مايو (أيار) 2019: هدنة لمدة 72 ساعة خُرقت فورًا بمواصلة الروس قصف المدن والقرى."
        ),
        "text_url": None,
        "pax_id": None,
        "parties": [
            {
                "actor": "russia",
                "role": "signatory",
                "note": "Russian-Turkish joint working group.",
            },
            {
                "actor": "turkey",
                "role": "signatory",
                "note": "Russian-Turkish joint working group.",
            },
            {
                "actor": "syrian-government",
                "role": "bound",
                "note": None,
            },
            {
                "actor": "hts",
                "role": "rejected",
                "note": None,
            },
            {
                "actor": "nfl",
                "role": "rejected",
                "note": "Conditioned acceptance on government forces leaving the areas just taken.",
            },
        ],
        "provisions": [
            {
                "code": "TRUCE72-1",
                "title_en": "72 hours of ceasefire",
                "title_ar": "وقف إطلاق النار لمدة 72 ساعة",
                "text": "All parties stop firing for 72 hours.",
                "kind": "cease_fire",
                "deadline": None,
            },
        ],
        "territories": [
            {
                "name_en": "Idlib de-escalation area",
                "name_ar": "منطقة خفض التصعيد في إدلب",
                "geometry": None,
                "admin_pcodes": [
                    "SY07",
                    "SY050101",
                    "SY050103",
                    "SY050200",
                    "SY050201",
                    "SY050202",
                    "SY050204",
                    "SY050500",
                    "SY050501",
                    "SY050502",
                    "SY060002",
                    "SY060301",
                    "SY060303",
                    "SY020001",
                    "SY020003",
                    "SY020004",
                    "SY020005",
                ],
            },
        ],
        "sources": [
            {
                "source": "russian-mod-2019-05-18",
                "claim": (
                    "Syrian government forces ceased fire unilaterally from 00:00 on 18 May 2019."
                ),
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "sasa-post-2019-08-03",
                "claim": (
                    "A 72-hour truce was agreed on 17 May 2019 at the first meeting of the "
                    "Russian-Turkish joint working group."
                ),
                "stance": "supports",
                "excerpt": "وإنما تم الاتفاق على هدنة لمدة 72 ساعة، والتي تم خرقها فورًا",
            },
            {
                "source": "sasa-post-2019-08-03",
                "claim": "The factions rejected the truces.",
                "stance": "supports",
                "excerpt": "ورفضت الفصائل هذه الهدن ووضعت عدة شروط للقبول بها",
            },
        ],
    },
    {
        "slug": "truce-2019-06-12",
        "kind": "truce",
        "name_en": "Russian unilateral three-day truce of June 2019",
        "name_ar": "الهدنة الروسية من طرف واحد (يونيو 2019)",
        "signed_on": "2019-06-12",
        "effective_from": "2019-06-12T00:00:00+03:00",
        "expires_at": "2019-06-15T00:00:00+03:00",
        "is_unilateral": True,
        "parent": "sochi-2018",
        "summary_en": (
            "Announced by Russia on 12 June 2019 for three days. The Russian defence ministry "
            "called it a complete cessation of hostilities mediated by Russia and Turkey from "
            "00:00 on 12 June; the opposition factions said they were not party to it and had "
            "not been notified. Breached by Russia; government forces then attacked Tell Malah "
            "and al-Jubayn."
        ),
        "summary_ar": (
            "أعلنت روسيا في 12 يونيو (حزيران) 2019 هدنة لمدة ثلاثة أيام من طرف واحد، وأشارت "
            "فصائل المعارضة إلى أنها غير معنية بها ولم يتم إبلاغها بها، وقد خرق الروس هدنتهم "
            "مجددًا."
        ),
        "text_url": None,
        "pax_id": None,
        "parties": [
            {
                "actor": "russia",
                "role": "signatory",
                "note": "Announced the truce; a unilateral truce binds only its announcer.",
            },
            {
                "actor": "nfl",
                "role": "not_notified",
                "note": "Said it was not party to the truce nor told of it.",
            },
            {
                "actor": "jaish-al-izza",
                "role": "not_notified",
                "note": None,
            },
        ],
        "provisions": [
            {
                "code": "TRUCE3D-1",
                "title_en": "Three days of ceasefire",
                "title_ar": "وقف إطلاق النار لمدة ثلاثة أيام",
                "text": "Cessation of hostilities in the Idlib de-escalation zone for three days.",
                "kind": "cease_fire",
                "deadline": None,
            },
        ],
        "territories": [
            {
                "name_en": "Idlib de-escalation area",
                "name_ar": "منطقة خفض التصعيد في إدلب",
                "geometry": None,
                "admin_pcodes": [
                    "SY07",
                    "SY050101",
                    "SY050103",
                    "SY050200",
                    "SY050201",
                    "SY050202",
                    "SY050204",
                    "SY050500",
                    "SY050501",
                    "SY050502",
                    "SY060002",
                    "SY060301",
                    "SY060303",
                    "SY020001",
                    "SY020003",
                    "SY020004",
                    "SY020005",
                ],
            },
        ],
        "sources": [
            {
                "source": "russian-mod-2019-06-12",
                "claim": (
                    "A cessation of hostilities mediated by Russia and Turkey, from 00:00 on 12 "
                    "June 2019."
                ),
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "sasa-post-2019-08-03",
                "claim": "A unilateral truce of three days announced by Russia on 12 June 2019.",
                "stance": "supports",
                "excerpt": "أعلنت روسيا عن هدنة أخرى لمدة ثلاثة أيام من طرف واحد",
            },
            {
                "source": "sasa-post-2019-08-03",
                "claim": "The truce was agreed with the opposition side or mediated for it.",
                "stance": "denies",
                "excerpt": "أنها غير معنية بهذه الهدنة ولم يتم إبلاغها بها من أي طرف",
            },
        ],
    },
    {
        "slug": "idlib-truce-2019-08-31",
        "kind": "truce",
        "name_en": "Idlib truce of 31 August 2019",
        "name_ar": "هدنة إدلب (31 أغسطس 2019)",
        "signed_on": "2019-08-30",
        "effective_from": "2019-08-31T06:00:00+03:00",
        "expires_at": None,
        "is_unilateral": False,
        "parent": "sochi-2018",
        "summary_en": (
            "Ceasefire in the Idlib de-escalation zone from 06:00 on 31 August 2019, announced "
            "by the Russian defence ministry as agreed between Russia and Turkey."
        ),
        "summary_ar": (
            "وقف لإطلاق النار في منطقة خفض التصعيد في إدلب اعتبارًا من السادسة صباح 31 أغسطس "
            "(آب) 2019، أعلنته وزارة الدفاع الروسية باتفاق روسي تركي."
        ),
        "text_url": None,
        "pax_id": None,
        "parties": [
            {
                "actor": "russia",
                "role": "signatory",
                "note": None,
            },
            {
                "actor": "turkey",
                "role": "signatory",
                "note": None,
            },
            {
                "actor": "syrian-government",
                "role": "bound",
                "note": None,
            },
        ],
        "provisions": [
            {
                "code": "AUG19-1",
                "title_en": "Ceasefire from 06:00 on 31 August 2019",
                "title_ar": "وقف إطلاق النار اعتبارًا من 31 أغسطس 2019",
                "text": (
                    "Ceasefire in the Idlib de-escalation zone from 06:00 on 31 August 2019, to "
                    "stabilize the situation."
                ),
                "kind": "cease_fire",
                "deadline": None,
            },
        ],
        "territories": [
            {
                "name_en": "Idlib de-escalation area",
                "name_ar": "منطقة خفض التصعيد في إدلب",
                "geometry": None,
                "admin_pcodes": [
                    "SY07",
                    "SY050101",
                    "SY050103",
                    "SY050200",
                    "SY050201",
                    "SY050202",
                    "SY050204",
                    "SY050500",
                    "SY050501",
                    "SY050502",
                    "SY060002",
                    "SY060301",
                    "SY060303",
                    "SY020001",
                    "SY020003",
                    "SY020004",
                    "SY020005",
                ],
            },
        ],
        "sources": [],
    },
    {
        "slug": "sochi-protocol-2020",
        "kind": "ceasefire",
        "name_en": "Additional Protocol to the Sochi memorandum (Moscow, 5 March 2020)",
        "name_ar": "البروتوكول الإضافي لمذكرة سوتشي (موسكو، 5 مارس 2020)",
        "signed_on": "2020-03-05",
        "effective_from": "2020-03-06T00:01:00+02:00",
        "expires_at": None,
        "is_unilateral": False,
        "parent": "sochi-2018",
        "summary_en": (
            "Agreed by Presidents Putin and Erdogan in Moscow: a ceasefire along the line of "
            "contact from 00:01 on 6 March 2020, a security corridor 6 km deep on each side of "
            "the M4 road, and joint Russian-Turkish patrols along the M4 from 15 March 2020."
        ),
        "summary_ar": (
            "اتفق عليه الرئيسان بوتين وأردوغان في موسكو: وقف لإطلاق النار على خط التماس اعتبارًا "
            "من 6 مارس (آذار) 2020، وممر آمن بعمق 6 كم على جانبي طريق M4، ودوريات مشتركة عليه."
        ),
        "text_url": None,
        "pax_id": 2273,
        "parties": [
            {
                "actor": "russia",
                "role": "signatory",
                "note": None,
            },
            {
                "actor": "turkey",
                "role": "signatory",
                "note": None,
            },
            {
                "actor": "syrian-government",
                "role": "bound",
                "note": None,
            },
            {
                "actor": "hts",
                "role": "excluded",
                "note": None,
            },
        ],
        "provisions": [
            {
                "code": "PROT-1",
                "title_en": "Ceasefire along the line of contact",
                "title_ar": "وقف إطلاق النار على خط التماس",
                "text": (
                    "Cessation of all military actions along the line of contact in the Idlib "
                    "de-escalation area from 00:01 on 6 March 2020."
                ),
                "kind": "cease_fire",
                "deadline": None,
            },
            {
                "code": "PROT-2",
                "title_en": "Security corridor along the M4",
                "title_ar": "ممر آمن على طريق M4",
                "text": (
                    "A security corridor 6 km deep to the north and 6 km to the south of the M4 "
                    "road."
                ),
                "kind": "road_access",
                "deadline": None,
            },
            {
                "code": "PROT-3",
                "title_en": "Joint patrols along the M4 from 15 March 2020",
                "title_ar": "دوريات مشتركة على طريق M4",
                "text": (
                    "Joint Russian-Turkish patrols along the M4 from Trumba to Ain al-Havr, "
                    "starting on 15 March 2020."
                ),
                "kind": "patrols",
                "deadline": "2020-03-15T00:00:00+02:00",
            },
        ],
        "territories": [
            {
                "name_en": "Idlib de-escalation area",
                "name_ar": "منطقة خفض التصعيد في إدلب",
                "geometry": None,
                "admin_pcodes": [
                    "SY07",
                    "SY050101",
                    "SY050103",
                    "SY050200",
                    "SY050201",
                    "SY050202",
                    "SY050204",
                    "SY050500",
                    "SY050501",
                    "SY050502",
                    "SY060002",
                    "SY060301",
                    "SY060303",
                    "SY020001",
                    "SY020003",
                    "SY020004",
                    "SY020005",
                ],
            },
        ],
        "sources": [],
    },
]

SOURCES: list[dict[str, Any]] = [
    {
        "ref": "sasa-post-2019-08-03",
        "kind": "news_article",
        "title": "إدلب «من التحرير إلى التدمير».. القصة الكاملة لمدينة استعصت على الأسد وحلفائه",
        "url": None,
        "publisher": "Sasa Post (ساسة بوست)",
        "author": None,
        "language": "ar",
        "published_at": "2019-08-03T00:00:00+03:00",
        "accessed_at": "2019-08-05T10:00:00+03:00",
        "archive_url": None,
        "content_sha256": None,
        "reliability": "C",
        "is_confidential": False,
        "notes": (
            "Long-form feature on Idlib from 2015 to mid-2019; quotes Captain Naji Mustafa "
            "(NFL), Colonel Mustafa Bakour (Jaish al-Izza) and Ahmed Nour al-Rislan. Sympathetic "
            "to the opposition. Seen as a republication dated 4 August 2019; original URL not "
            "recorded."
        ),
    },
    {
        "ref": "astana-memorandum-2017-05-04",
        "kind": "official_statement",
        "title": "Memorandum on the creation of de-escalation areas in the Syrian Arab Republic",
        "url": None,
        "publisher": "Ministry of Foreign Affairs of the Russian Federation",
        "author": None,
        "language": "en",
        "published_at": "2017-05-06T00:00:00+03:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "A",
        "is_confidential": False,
        "notes": (
            "Text of the memorandum signed in Astana on 4 May 2017 by Russia, Turkey and Iran "
            "(PA-X agreement 2093). Authoritative for what was agreed, not for compliance."
        ),
    },
    {
        "ref": "unsc-s-2018-852",
        "kind": "official_statement",
        "title": (
            "Letter dated 19 September 2018 from the Permanent Representatives of the Russian "
            "Federation and Turkey to the United Nations addressed to the Secretary-General "
            "(S/2018/852), annex: Memorandum on Stabilization of the Situation in the Idlib "
            "De-escalation Area"
        ),
        "url": "https://undocs.org/S/2018/852",
        "publisher": "United Nations Security Council",
        "author": None,
        "language": "en",
        "published_at": "2018-09-19T00:00:00-04:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "A",
        "is_confidential": False,
        "notes": (
            "The Sochi memorandum of 17 September 2018 as circulated to the Security Council "
            "(PA-X agreement 2169)."
        ),
    },
    {
        "ref": "russian-mod-2019-05-18",
        "kind": "official_statement",
        "title": (
            "Russian Centre for the Reconciliation of Opposing Sides: Syrian government forces "
            "unilaterally cease fire in the Idlib de-escalation zone"
        ),
        "url": None,
        "publisher": "Ministry of Defence of the Russian Federation",
        "author": None,
        "language": "en",
        "published_at": "2019-05-18T00:00:00+03:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "C",
        "is_confidential": False,
        "notes": (
            "A party to the conflict reporting on its ally; dates and framing of truces differ "
            "from opposition accounts."
        ),
    },
    {
        "ref": "russian-mod-2019-06-12",
        "kind": "official_statement",
        "title": (
            "Russian Ministry of Defence: complete cessation of hostilities in the Idlib "
            "de-escalation zone from 00:00 on 12 June, mediated by Russia and Turkey"
        ),
        "url": None,
        "publisher": "Ministry of Defence of the Russian Federation",
        "author": None,
        "language": "en",
        "published_at": "2019-06-12T00:00:00+03:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "C",
        "is_confidential": False,
        "notes": (
            "Statement by the head of the Russian reconciliation centre; the opposition factions "
            "said they were not party to the truce and not notified of it."
        ),
    },
    {
        "ref": "russian-mod-2019-briefings",
        "kind": "official_statement",
        "title": (
            "Russian Ministry of Defence briefings on the Idlib de-escalation zone, May-July 2019"
        ),
        "url": None,
        "publisher": "Ministry of Defence of the Russian Federation",
        "author": None,
        "language": "en",
        "published_at": "2019-07-31T00:00:00+03:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "C",
        "is_confidential": False,
        "notes": (
            "Daily briefings of the reconciliation centre: reports of shelling by 'terrorists' "
            "(Jabhat al-Nusra / HTS), of attacks on Hmeimim, and strikes described as responses."
        ),
    },
    {
        "ref": "turkish-mod-2019-05-04",
        "kind": "official_statement",
        "title": (
            "Turkish Ministry of National Defence: two soldiers wounded in an attack on an "
            "observation post in the Idlib de-escalation zone"
        ),
        "url": None,
        "publisher": "Ministry of National Defence of the Republic of Turkey",
        "author": None,
        "language": "en",
        "published_at": "2019-05-04T00:00:00+03:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "B",
        "is_confidential": False,
        "notes": (
            "Guarantor and operator of the observation points; attributes the fire to Syrian "
            "government forces."
        ),
    },
    {
        "ref": "naji-mustafa-2019-08",
        "kind": "official_statement",
        "title": (
            "Remarks of Captain Naji Mustafa, spokesman of the National Front for Liberation, to "
            "Sasa Post"
        ),
        "url": None,
        "publisher": "National Front for Liberation",
        "carried_by": "sasa-post-2019-08-03",
        "author": "Captain Naji Mustafa (النقيب ناجي مصطفى)",
        "language": "ar",
        "published_at": "2019-08-03T00:00:00+03:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "D",
        "is_confidential": False,
        "notes": (
            "Partisan: spokesman of an armed faction that is a party to the fighting. The "
            "article prints his name both as Naji Mustafa and, inverted, as Mustafa Naji."
        ),
    },
    {
        "ref": "mustafa-bakour-2019-08",
        "kind": "official_statement",
        "title": "Remarks of Colonel Mustafa Bakour, commander in Jaish al-Izza, to Sasa Post",
        "url": None,
        "publisher": "Jaish al-Izza",
        "carried_by": "sasa-post-2019-08-03",
        "author": "Colonel Mustafa Bakour (العقيد مصطفى بكور)",
        "language": "ar",
        "published_at": "2019-08-03T00:00:00+03:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "D",
        "is_confidential": False,
        "notes": "Partisan: commander in an armed faction fighting in north Hama.",
    },
    {
        "ref": "ahmed-rislan-2019-08",
        "kind": "news_article",
        "title": (
            "Remarks of Ahmed Nour al-Rislan, Syrian activist and journalist, quoted by Sasa Post"
        ),
        "url": None,
        "publisher": "Sasa Post",
        "author": "Ahmed Nour al-Rislan (أحمد نور الرسلان)",
        "language": "ar",
        "published_at": "2019-08-03T00:00:00+03:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "C",
        "is_confidential": False,
        "notes": (
            "Opposition-area activist and journalist; analysis and opinion rather than "
            "first-hand observation."
        ),
    },
    {
        "ref": "sohr-2019-07",
        "kind": "ngo_report",
        "title": (
            "Syrian Observatory for Human Rights: the escalation in north-west Hama and south "
            "Idlib, May-July 2019"
        ),
        "url": "https://www.syriahr.com/en/",
        "publisher": "Syrian Observatory for Human Rights (SOHR)",
        "author": None,
        "language": "en",
        "published_at": "2019-07-31T00:00:00+03:00",
        "accessed_at": None,
        "archive_url": None,
        "content_sha256": None,
        "reliability": "C",
        "is_confidential": False,
        "notes": (
            "Monitoring group relying on a network of local contacts; counts strikes and "
            "casualties daily. Demo label for the NGO reports analysts compile from."
        ),
    },
    {
        "ref": "witness-k17-2019-05",
        "kind": "witness",
        "title": "Interview with a resident of Kafr Nabudah displaced in May 2019",
        "url": None,
        "publisher": None,
        "author": "Witness K-17 (Kafr Nabudah)",
        "language": "ar",
        "published_at": None,
        "accessed_at": "2019-05-28T11:00:00+03:00",
        "archive_url": None,
        "content_sha256": None,
        "reliability": "F",
        "is_confidential": True,
        "notes": (
            "Identity withheld for the witness's safety: the witness has relatives in "
            "government-held areas. Name and contact details are kept offline by the "
            "interviewing analyst; never publish or export this record's author."
        ),
    },
]

INCIDENTS: list[dict[str, Any]] = [
    {
        "ref": "DEMO-001",
        "agreement": "astana-2017",
        "provisions": ["ASTANA-1"],
        "when": "2018-01-22",
        "place": "abu-al-duhur-airbase",
        "location_precision": "exact",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "high",
        "target_actor": "hts",
        "category": "ground_assault",
        "weapon": "armour and infantry with Russian air support",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Government forces and Iranian-backed militias, with heavy Russian air support, "
            "reach the walls of Abu al-Duhur airbase and take it completely after fierce "
            "fighting inside, as HTS withdraws from the east Idlib countryside."
        ),
        "description_ar": (
            "قوات الأسد والمليشيات الإيرانية، بدعم قوي من الطائرات الروسية، تصل إلى أسوار مطار "
            "أبو الظهور وتسيطر عليه بشكل كامل بعد اشتباكات عنيفة داخله، وسط انسحاب سريع لهيئة "
            "تحرير الشام."
        ),
        "claimed_justification": (
            "Operations against Hayat Tahrir al-Sham, a designated group excluded from the "
            "de-escalation memorandum."
        ),
        "claimed_target": "hts",
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": "انتهت بسيطرته عليه بشكل كامل في 22 يناير (كانون الثاني) 2018",
            },
            {
                "source": "sohr-2019-07",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-002",
        "agreement": "astana-2017",
        "provisions": ["ASTANA-4", "ASTANA-1"],
        "when": "early 2018",
        "place": "uqayribat",
        "location_precision": "near",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "low",
        "target_actor": None,
        "category": "other",
        "weapon": None,
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "ISIS fighters are let through government-held lines from Uqayribat in east Hama, "
            "crossing the al-Saan area towards opposition-held areas of east Hama and south-east "
            "Idlib, where they fight the factions. Reported by opposition sources; the "
            "government denies facilitating ISIS."
        ),
        "description_ar": (
            "عناصر تنظيم الدولة يعبرون مناطق سيطرة قوات الأسد في منطقة السعن قادمين من عقيربات "
            "بريف حماة الشرقي، باتجاه مناطق سيطرة الثوار بريف إدلب، بالتنسيق مع قوات الأسد "
            "وروسيا بحسب مصادر المعارضة."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "submitted",
        "sources": [
            {
                "source": "naji-mustafa-2019-08",
                "credibility": 4,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": (
                    "النظام قدم تسهيلات كبيرة لداعش وفتح لها الطريق من منطقة عقيربات بريف حماة "
                    "الشرقي"
                ),
            },
            {
                "source": "ahmed-rislan-2019-08",
                "credibility": 3,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": "النظام استخدم داعش لمرات عديدة في معركته ضد المناطق المحررة",
            },
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 3,
                "blames": "syrian-government-forces",
                "stance": "mentions",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-003",
        "agreement": "astana-2017",
        "provisions": ["ASTANA-3", "ASTANA-1"],
        "when": "2019-05-04",
        "place": "turkish-op-sher-mughar",
        "location_precision": "exact",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "medium",
        "target_actor": "turkish-army",
        "category": "attack_on_monitoring_post",
        "weapon": "artillery",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "The Turkish observation point at Sher Mughar in Jabal Shahshabu is shelled; the "
            "Turkish defence ministry reports two soldiers wounded and blames government forces. "
            "The article notes the observation points were shelled directly more than once, "
            "killing and wounding Turkish soldiers."
        ),
        "description_ar": (
            "تعرضت نقطة المراقبة التركية في شير مغار بجبل شحشبو لقصف مدفعي أدى إلى إصابة جنديين "
            "تركيين بحسب وزارة الدفاع التركية التي حمّلت قوات النظام المسؤولية."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "turkish-mod-2019-05-04",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 3,
                "blames": None,
                "stance": "mentions",
                "excerpt": (
                    "هذه النقاط تعرضت لقصف مباشر أكثر من مرة مما تسبب بمقتل وإصابة عدد من الجنود "
                    "الأتراك"
                ),
            },
        ],
    },
    {
        "ref": "DEMO-004",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2018-10/2019-04",
        "place": "khan-shaykhun",
        "location_precision": "admin2",
        "perpetrator": "russian-forces",
        "perpetrator_confidence": "medium",
        "target_actor": "civilians",
        "category": "air_strike",
        "weapon": "aircraft",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Despite the Sochi memorandum, Russian aircraft strike towns and cities of the Idlib "
            "area daily, killing civilians; the factions answer by targeting government "
            "checkpoints and vehicles, and each side accuses the other of starting it."
        ),
        "description_ar": (
            "على الرغم من اتفاق سوتشي واصلت روسيا بشكل يومي قصف المدن والبلدات مخلفة المجازر بحق "
            "المدنيين، وردت الفصائل باستهداف حواجز وآليات تابعة لقوات الأسد وسط تبادل الاتهامات "
            "عمن بدأ الهجوم."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "submitted",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 3,
                "blames": "russian-forces",
                "stance": "supports",
                "excerpt": "على الرغم من اتفاق سوتشي فقد واصلت روسيا بشكل يومي قصف المدن والبلدات",
            },
            {
                "source": "russian-mod-2019-briefings",
                "credibility": 4,
                "blames": "hts",
                "stance": "denies",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-005",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-3", "SOCHI-2"],
        "when": "2018-10-11",
        "place": "morek",
        "location_precision": "near",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "medium",
        "target_actor": None,
        "category": "heavy_weapons_in_zone",
        "weapon": "tanks, artillery and rocket launchers",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "After the 10 October 2018 deadline the opposition factions have withdrawn their "
            "heavy weapons from the demilitarized zone, but government and Russian forces have "
            "withdrawn none of theirs from the zone's edge in north Hama."
        ),
        "description_ar": (
            "بعد انقضاء مهلة 10 أكتوبر 2018 سحبت فصائل المعارضة كامل سلاحها الثقيل من المنطقة "
            "منزوعة السلاح، بينما لم تلتزم روسيا ولا النظام بسحب أي من قواتها من هذه المناطق."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "submitted",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 3,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": "لم تلتزم روسيا ولا النظام بسحب أي من قواتها من هذه المناطق",
            },
            {
                "source": "naji-mustafa-2019-08",
                "credibility": 4,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-006",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-2"],
        "when": "2019-04",
        "place": "morek",
        "location_precision": "near",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "high",
        "target_actor": None,
        "category": "troop_build_up",
        "weapon": None,
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Government forces mass thousands of troops and hundreds of vehicles, armoured "
            "vehicles and tanks on the edge of the north Hama countryside, reinforcing "
            "continuously into the zone instead of withdrawing."
        ),
        "description_ar": (
            "حشدت قوات الأسد آلاف العناصر ومئات الآليات والمدرعات والدبابات على تخوم ريف حماة "
            "الشمالي، وأُرسلت الحشود بشكل مستمر إلى المنطقة."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": (
                    "حشدت قوات الأسد آلاف العناصر ومئات الآليات والمدرعات والدبابات على تخوم ريف "
                    "حماة الشمالي"
                ),
            },
            {
                "source": "sohr-2019-07",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-007",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2019-04-30/2019-05-12",
        "place": "qalat-al-madiq",
        "location_precision": "near",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "high",
        "target_actor": "nfl",
        "category": "ground_assault",
        "weapon": "armour and infantry with Russian air support",
        "event_count": 12,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "With scorched-earth air strikes, government forces take the villages of "
            "al-Jabriyah, al-Hawash, al-Tuba, al-Huwayz, al-Karkat, Bab al-Taqa, al-Janabira, "
            "Tell Othman, al-Qasabiyah, al-Humayrat, Hardana and Qiratah in north-west Hama "
            "against fierce resistance."
        ),
        "description_ar": (
            "قوات الأسد تسيطر بعد اتباع أسلوب الأرض المحروقة على قرى الجابرية والهواش والتوبة "
            "والحويز والكركات وباب الطاقة والجنابرة وتل عثمان والقصابية والحميرات وحردانة "
            "وقيراطة وسط مقاومة شرسة."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": (
                    "السيطرة في بداية الأمر على قرى الجابرية والهواش والتوبة والحويز والكركات"
                ),
            },
            {
                "source": "sohr-2019-07",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-008",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2019-05-08",
        "place": "kafr-nabudah",
        "location_precision": "exact",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "high",
        "target_actor": "nfl",
        "category": "ground_assault",
        "weapon": "armour and infantry after continuous air strikes",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "After air strikes that never stopped, Kafr Nabudah falls to government forces and "
            "the factions withdraw from the town."
        ),
        "description_ar": (
            "بالتزامن مع الغارات التي لم تتوقف أبدًا على بلدة كفرنبودة انتهى الأمر بسقوطها "
            "وانسحاب الفصائل منها."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": "الغارات التي لم تتوقف أبدًا على بلدة كفرنبودة وانتهى الأمر بسقوطها",
            },
            {
                "source": "sohr-2019-07",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-009",
        "agreement": "truce-2019-05-17",
        "provisions": ["TRUCE72-1"],
        "when": "2019-05-19",
        "place": "khan-shaykhun",
        "location_precision": "near",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "medium",
        "target_actor": "civilians",
        "category": "shelling",
        "weapon": "artillery and rocket launchers",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Government artillery and rocket launchers shell Khan Shaykhun and nearby villages "
            "in the south Idlib countryside during the 72-hour truce."
        ),
        "description_ar": (
            "قوات النظام تقصف بالمدفعية وراجمات الصواريخ خان شيخون والقرى المحيطة بريف إدلب "
            "الجنوبي خلال هدنة الـ72 ساعة."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sohr-2019-07",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 3,
                "blames": "russian-forces",
                "stance": "mentions",
                "excerpt": "والتي تم خرقها فورًا من قبل الروس بمواصلتهم قصف المدن والقرى الآمنة",
            },
            {
                "source": "russian-mod-2019-05-18",
                "credibility": 4,
                "blames": "hts",
                "stance": "denies",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-010",
        "agreement": "truce-2019-05-17",
        "provisions": ["TRUCE72-1"],
        "when": "2019-05",
        "place": "idlib-city",
        "location_precision": "admin1",
        "perpetrator": "russian-forces",
        "perpetrator_confidence": "medium",
        "target_actor": "civilians",
        "category": "air_strike",
        "weapon": "aircraft",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "The 72-hour truce is breached at once as Russian aircraft keep bombing towns and "
            "villages; the source gives no date, only the month."
        ),
        "description_ar": (
            "خُرقت هدنة الـ72 ساعة فورًا من قبل الروس بمواصلتهم قصف المدن والقرى الآمنة، دون "
            "تحديد التاريخ."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "submitted",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 3,
                "blames": "russian-forces",
                "stance": "supports",
                "excerpt": "والتي تم خرقها فورًا من قبل الروس بمواصلتهم قصف المدن والقرى الآمنة",
            },
        ],
    },
    {
        "ref": "DEMO-011",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2019-05-22",
        "place": "kafr-nabudah",
        "location_precision": "exact",
        "perpetrator": "nfl",
        "perpetrator_confidence": "medium",
        "target_actor": "syrian-government-forces",
        "category": "ground_assault",
        "weapon": "infantry, anti-tank missiles",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": (24, None, None),
        "description_en": (
            "The factions launch a strong attack and within a few hours take full control of "
            "Kafr Nabudah, seizing tanks, vehicles and ammunition; dozens of government troops "
            "are killed or wounded. HTS fighters took part; the Russian side attributes the "
            "attack to Jabhat al-Nusra."
        ),
        "description_ar": (
            "شنت فصائل المعارضة هجومًا عنيفًا تمكنت فيه بعد ساعات قليلة من فرض سيطرتها الكاملة "
            "على بلدة كفرنبودة، وتم الاستيلاء على عدد من الدبابات والآليات والذخائر."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": None,
                "stance": "supports",
                "excerpt": "تمكنت فيه بعد ساعات قليلة من فرض سيطرتها الكاملة على بلدة كفرنبودة",
            },
            {
                "source": "naji-mustafa-2019-08",
                "credibility": 3,
                "blames": None,
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "russian-mod-2019-briefings",
                "credibility": 3,
                "blames": "hts",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-012",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2019-05-22/2019-05-26",
        "place": "kafr-nabudah",
        "location_precision": "exact",
        "perpetrator": "russian-forces",
        "perpetrator_confidence": "high",
        "target_actor": None,
        "category": "air_strike",
        "weapon": "aircraft, artillery and rocket launchers",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "After the opposition retakes Kafr Nabudah, Russian aircraft pour their full force "
            "on the town for four days in a row until government forces retake it."
        ),
        "description_ar": (
            "صب الروس كامل غضبهم على بلدة كفرنبودة لمدة أربعة أيام متواصلة حتى السيطرة عليها مجددًا."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": "russian-forces",
                "stance": "supports",
                "excerpt": "صبوا كامل غضبهم على البلدة لمدة أربعة أيام متواصلة",
            },
            {
                "source": "witness-k17-2019-05",
                "credibility": 3,
                "blames": "russian-forces",
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "sohr-2019-07",
                "credibility": 2,
                "blames": "russian-forces",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-013",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2019-W22",
        "place": "khan-shaykhun",
        "location_precision": "near",
        "perpetrator": "russian-forces",
        "perpetrator_confidence": "medium",
        "target_actor": "civilians",
        "category": "air_strike",
        "weapon": "aircraft",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Russian aircraft strike Khan Shaykhun and Maarat al-Numan; the Russian defence "
            "ministry says it struck Jabhat al-Nusra (HTS) positions in response to ceasefire "
            "violations, while monitors report strikes on residential areas."
        ),
        "description_ar": (
            "الطائرات الروسية تقصف خان شيخون ومعرة النعمان، وتقول وزارة الدفاع الروسية إنها "
            "استهدفت مواقع «جبهة النصرة» ردًا على خروقات، فيما يفيد المرصد بأن الغارات طالت "
            "أحياء سكنية."
        ),
        "claimed_justification": (
            "Strikes on positions of Jabhat al-Nusra (Hayat Tahrir al-Sham) terrorists, who are "
            "excluded from the ceasefire, in response to their shelling."
        ),
        "claimed_target": "hts",
        "status": "disputed",
        "sources": [
            {
                "source": "russian-mod-2019-briefings",
                "credibility": 4,
                "blames": "hts",
                "stance": "denies",
                "excerpt": None,
            },
            {
                "source": "sohr-2019-07",
                "credibility": 2,
                "blames": "russian-forces",
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 3,
                "blames": "russian-forces",
                "stance": "mentions",
                "excerpt": (
                    'تذرع النظام وروسيا في كل قصفهم وقتلهم للمدنيين بأنهم يستهدفون "الهيئة '
                    'والدواعش"'
                ),
            },
        ],
    },
    {
        "ref": "DEMO-014",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2019-W23",
        "place": "tell-malah",
        "location_precision": "exact",
        "perpetrator": "jaish-al-izza",
        "perpetrator_confidence": "medium",
        "target_actor": "syrian-government-forces",
        "category": "ground_assault",
        "weapon": "infantry, anti-tank missiles",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "The factions take full control of Tell Malah and al-Jubayn in north Hama, then "
            "switch to ambushes and hit-and-run raids across Hama, Idlib and Latakia."
        ),
        "description_ar": (
            "تمكنت الفصائل من بسط سيطرتها الكاملة على منطقتي تل ملح والجبين المهمتين بريف حماة "
            "الشمالي."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": None,
                "stance": "supports",
                "excerpt": "بسط سيطرتها الكاملة على منطقتي تل ملح والجبين المهمتان",
            },
            {
                "source": "mustafa-bakour-2019-08",
                "credibility": 3,
                "blames": None,
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-015",
        "agreement": "truce-2019-06-12",
        "provisions": ["TRUCE3D-1"],
        "when": "2019-06-13",
        "place": "maarat-al-numan",
        "location_precision": "admin2",
        "perpetrator": "russian-forces",
        "perpetrator_confidence": "medium",
        "target_actor": "civilians",
        "category": "air_strike",
        "weapon": "aircraft",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Russian aircraft keep striking the south Idlib countryside during the three-day "
            "truce Russia itself announced."
        ),
        "description_ar": (
            "الطائرات الروسية تواصل قصف ريف إدلب الجنوبي خلال الهدنة التي أعلنتها روسيا نفسها."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "submitted",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 3,
                "blames": "russian-forces",
                "stance": "supports",
                "excerpt": "وقد خرق الروس هدنتهم مجددًا",
            },
            {
                "source": "russian-mod-2019-06-12",
                "credibility": 4,
                "blames": "hts",
                "stance": "denies",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-016",
        "agreement": "truce-2019-06-12",
        "provisions": ["TRUCE3D-1"],
        "when": "2019-06-14",
        "place": "tell-malah",
        "location_precision": "exact",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "high",
        "target_actor": "jaish-al-izza",
        "category": "ground_assault",
        "weapon": "armour and infantry with air support",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Government forces attack Tell Malah and al-Jubayn to retake them, during the "
            "unilateral truce announced by Russia; the factions repel the attack."
        ),
        "description_ar": (
            "شنت قوات الأسد هجومًا للسيطرة على منطقتي تل ملح والجبين بريف حماة خلال الهدنة الروسية."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": "وشنت قوات الأسد هجومًا للسيطرة على منطقتي تل ملح والجبين بريف حماة",
            },
            {
                "source": "mustafa-bakour-2019-08",
                "credibility": 4,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": None,
            },
            {
                "source": "sohr-2019-07",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-017",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "mid 2019",
        "place": "hmeimim-airbase",
        "location_precision": "exact",
        "perpetrator": "ahrar-al-sharqiya",
        "perpetrator_confidence": "medium",
        "target_actor": "russian-forces",
        "category": "rocket_attack",
        "weapon": "Grad rockets",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Ahrar al-Sharqiya, part of the Turkish-backed National Army, claims a Grad rocket "
            "attack on the Russian Hmeimim airbase and publishes photos of its fighters "
            "launching the rockets. The base lies outside the demilitarized zone."
        ),
        "description_ar": (
            "تجمع أحرار الشرقية التابع للجيش الوطني يتبنى استهداف قاعدة حميميم الروسية بصواريخ "
            "الغراد وينشر صورًا لعناصره يقومون بهذه المهمة."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": "ahrar-al-sharqiya",
                "stance": "supports",
                "excerpt": "تبنت استهدافها للقاعدة الروسية بصواريخ الغراد ونشرت صورًا لعناصرها",
            },
            {
                "source": "russian-mod-2019-briefings",
                "credibility": 3,
                "blames": "hts",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-018",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1", "SOCHI-3"],
        "when": "2019-05/2019-07",
        "place": "jabal-al-akrad",
        "location_precision": "near",
        "perpetrator": None,
        "perpetrator_confidence": None,
        "target_actor": "russian-forces",
        "category": "rocket_attack",
        "weapon": "Grad rockets",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Grad rockets are launched at Hmeimim airbase from opposition-held Jabal al-Akrad "
            "and Jabal al-Turkman in north Latakia, never from north Hama; Moscow cites the "
            "attacks as a reason for its offensive. Who fired them is not established."
        ),
        "description_ar": (
            "تُطلق صواريخ الغراد باتجاه قاعدة حميميم من مناطق سيطرة المعارضة في جبلي الأكراد "
            "والتركمان بريف اللاذقية الشمالي، وتتخذها موسكو حجة لمعركة السيطرة على إدلب."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "submitted",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 3,
                "blames": None,
                "stance": "supports",
                "excerpt": (
                    "يتم إطلاقها من مناطق سيطرة المعارضة في جبلي الأكراد والتركمان بريف اللاذقية "
                    "الشمالي"
                ),
            },
            {
                "source": "russian-mod-2019-briefings",
                "credibility": 3,
                "blames": "hts",
                "stance": "supports",
                "excerpt": None,
            },
        ],
    },
    {
        "ref": "DEMO-019",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2019-05/2019-07",
        "place": "kabani",
        "location_precision": "exact",
        "perpetrator": "syrian-government-forces",
        "perpetrator_confidence": "high",
        "target_actor": "hts",
        "category": "ground_assault",
        "weapon": "infantry and armour with Russian air support",
        "event_count": 1,
        "count_qualifier": "more_than",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "Repeated assaults on the heavily fortified Kabani hills in north Latakia, meant to "
            "stop the rocket fire on Hmeimim, fail; the attackers lose dozens killed and wounded."
        ),
        "description_ar": (
            "حاولت القوات المهاجمة أكثر من مرة السيطرة على منطقة تلال كبينة بريف اللاذقية "
            "الشمالي ذات التحصين العالي، لكنها فشلت وخسرت عشرات القتلى والجرحى."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": "syrian-government-forces",
                "stance": "supports",
                "excerpt": "حاولت أكثر من مرة السيطرة على منطقة تلال كبينة بريف اللاذقية الشمالي",
            },
        ],
    },
    {
        "ref": "DEMO-020",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2019-07-10",
        "place": "al-hamamiyat-hill",
        "location_precision": "exact",
        "perpetrator": "al-fath-al-mubin",
        "perpetrator_confidence": "high",
        "target_actor": "syrian-government-forces",
        "category": "ground_assault",
        "weapon": "infantry, anti-tank missiles",
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "The factions of the al-Fath al-Mubin operations room storm al-Hamamiyat town and "
            "hill, the key to the Hama countryside, in a fast attack."
        ),
        "description_ar": (
            "شنت الفصائل هجومًا سريعًا على بلدة وتلة الحماميات ذات الأهمية الكبيرة والتي تعتبر "
            "عقدة الريف الحموي."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": None,
                "stance": "supports",
                "excerpt": "شنت الفصائل هجومًا سريعًا على بلدة وتلة الحماميات",
            },
            {
                "source": "naji-mustafa-2019-08",
                "credibility": 3,
                "blames": None,
                "stance": "supports",
                "excerpt": "تحرير الحماميات تم بسرعة كبيرة",
            },
        ],
    },
    {
        "ref": "DEMO-021",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-1"],
        "when": "2019-07-10/2019-07-11",
        "place": "al-hamamiyat",
        "location_precision": "exact",
        "perpetrator": "russian-forces",
        "perpetrator_confidence": "high",
        "target_actor": "al-fath-al-mubin",
        "category": "air_strike",
        "weapon": "aircraft, with artillery and rocket fire",
        "event_count": 400,
        "count_qualifier": "more_than",
        "count_period_hours": 30,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "In a battle of more than 30 hours, government forces make more than nine failed "
            "counter-attacks on al-Hamamiyat backed by more than 400 air strikes and very heavy "
            "artillery and rocket fire; the town is almost flattened and the factions withdraw."
        ),
        "description_ar": (
            "شن الروس والنظام أكثر من تسع محاولات فاشلة لاستعادة البلدة في معركة استمرت لأكثر من "
            "30 ساعة وأكثر من 400 غارة جوية مترافقة مع قصف مدفعي وصاروخي عنيف جدًا، مما اضطر "
            "الفصائل للتراجع."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "verified",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 2,
                "blames": "russian-forces",
                "stance": "supports",
                "excerpt": "لمعركة استمرت لأكثر من 30 ساعة وأكثر من 400 غارة جوية",
            },
            {
                "source": "naji-mustafa-2019-08",
                "credibility": 3,
                "blames": "russian-forces",
                "stance": "supports",
                "excerpt": "قامت على إثرها قوات الأسد وروسيا بصب جام غضبها وكافة أسلحتها",
            },
        ],
    },
    {
        "ref": "DEMO-022",
        "agreement": "sochi-2018",
        "provisions": ["SOCHI-6"],
        "when": "2019-01",
        "place": "saraqib",
        "location_precision": "near",
        "perpetrator": None,
        "perpetrator_confidence": None,
        "target_actor": None,
        "category": "other",
        "weapon": None,
        "event_count": None,
        "count_qualifier": "exact",
        "count_period_hours": None,
        "civilians_killed": None,
        "civilians_injured": None,
        "combatants_killed": None,
        "description_en": (
            "The M4 (Aleppo-Latakia) and M5 (Aleppo-Hama) roads, which meet at Saraqib, are "
            "still closed to transit traffic after the end-2018 deadline. Responsibility is not "
            "yet assessed."
        ),
        "description_ar": (
            "طريقا حلب-اللاذقية وحلب-حماة اللذان يلتقيان عند سراقب ما زالا مغلقين أمام حركة "
            "العبور بعد انقضاء مهلة نهاية 2018."
        ),
        "claimed_justification": None,
        "claimed_target": None,
        "status": "draft",
        "sources": [
            {
                "source": "sasa-post-2019-08-03",
                "credibility": 6,
                "blames": None,
                "stance": "mentions",
                "excerpt": "وأيضًا فتح طريقي حلب-اللاذقية وحلب-حماة",
            },
        ],
    },
]
