"""The judgement colours of the charts and of the page's style sheet are the same."""

import re
from pathlib import Path

from naravard.presentation import charts

SITE_CSS = Path(charts.__file__).parent / "static" / "naravard" / "site.css"


def test_every_judgement_has_its_chart_colour_in_the_style_sheet():
    css = SITE_CSS.read_text()
    found = {}
    for selectors, colour in re.findall(r"((?:\.judged-\w+(?:, )?)+) \{ background: (#\w+);", css):
        for name in re.findall(r"\.judged-(\w+)", selectors):
            found[name] = colour.lower()
    assert found == {k: v.lower() for k, v in charts.JUDGEMENT_COLOURS.items()}
