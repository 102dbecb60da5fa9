"""What the report's chapters hold, declared once: each development area of the status report
with the indicators and survey questions that belong to it.

The chapter titles come from the status-report form's own list of development areas, so a
new form with new areas needs only a new entry here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chapter:
    area: str  # a code of the status report's "area" choice list
    indicators: tuple[str, ...] = ()  # catalogue ids, in the order shown
    survey_items: tuple[str, ...] = ()  # item ids of the municipal survey ("3.*" for a grid)
    special: tuple[str, ...] = ()  # the chapter's own tables (see content.chapter_tables)


CHAPTERS = (
    Chapter(
        "omstallning",
        indicators=("avoidable_hospitalisations_per_100k",),
        survey_items=("1.*", "2", "2a"),
        special=("strategies", "decisions"),
    ),
    Chapter(
        "tillganglighet",
        indicators=(
            "online_booking_show_per_100k",
            "online_booking_book_per_100k",
            "care_guarantee_3d",
            "digital_contact_share",
        ),
        special=("online_booking",),
    ),
    Chapter(
        "patientkontrakt",
        indicators=(
            "named_doctor_share",
            "continuity_upc",
            "continuity_coc",
            "readmission_30d",
            "discharge_to_contact_days_65plus",
        ),
    ),
    Chapter("it_stod"),
    Chapter("kompetensanvandning"),
    Chapter("kompetensforsorjning", survey_items=("3.*",), special=("staff",)),
    Chapter("arbetssituation"),
)

# Online booking per region, the four columns of the table (as in the 2020 report's Tabell 2)
ONLINE_BOOKING = (
    "online_booking_show",
    "online_booking_book",
    "online_booking_show_per_100k",
    "online_booking_book_per_100k",
)
# The indicators a chapter's own tables show beyond its list (compared with the previous
# follow-up with the chapter's indicators)
SPECIAL_INDICATORS = {"online_booking": ONLINE_BOOKING}
DECISION_ITEMS = "1"  # the survey's grid of decisions on cooperation per level (Figur 5)
SHARED_VISION_ITEM = "2"
STAFF_GRID = "3"  # the survey's grid of staff balance per profession (Tabell 3)
