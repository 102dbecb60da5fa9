"""Facts of the report's chapter tables, declared once: the indicators of the online-booking
table, the survey questions the chapters' own tables read.

Which chapter holds which indicators, areas, tables and themes is the outline's
(``report/data/outline.yaml``, report/outline.py).
"""

from __future__ import annotations

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
