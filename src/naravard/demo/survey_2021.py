"""Synthetic answers to the 2021 municipal survey (form kommunenkat-2021) for the demo.

No real answers to a 2021 survey come with the demo, so each municipality's answers are made
from its answers to the 2019 survey (``data/kommunenkat-2019.csv``), changed at random in
plausible directions (for the shared goal, the rise that later national follow-ups reported):

* answers are first carried over through the question lineage of the 2021 form
  (:func:`naravard.collect.lineage.between`: question 2's ``ja``/``nej`` become
  ``finns``/``saknas``);
* a shared goal with the region (question 2) is reported by clearly more municipalities than
  in 2019 (44 % against 28 %): most that had one keep it, and a municipality that said it
  was working on one (2a ``ja``) has one now more often than one that was not;
* decisions on cooperation (question 1) are taken at more levels, more often where there is
  now a shared goal;
* shortages of licensed staff (question 3, asked about the whole year from 2021 and not
  comparable with 2019) stay widespread: a little more shortage than balance;
* question 5 (a shared mobile team, new in 2021) is answered by every municipality that
  answers, yes more often where there is a shared goal;
* the free-text answers (3.kommentar, 4) are drawn from short sentences written for the demo.

About the same municipalities answer: each 2019 respondent answers again with probability
:data:`ANSWERS_AGAIN`, and each municipality that did not answer in 2019 answers now with
probability :data:`ANSWERS_NOW`, starting from the 2019 answers of a respondent in its county.

Everything is drawn from a random generator seeded with :data:`SEED` and the municipality's
code, so the answers are the same every time and a 2019 respondent's answers do not depend
on which others answer. Nothing here touches the store; the demo imports the rows into a
historical round of kommunenkat-2021 (:mod:`naravard.demo.followup_2022`), whose pages say
that the answers are synthetic (:data:`NOTE_SV`, :data:`NOTE_EN`).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from naravard.collect import lineage
from naravard.collect.definition import FormDefinition, get_form
from naravard.collect.services import ImportRow

FORM_2019 = "kommunenkat-2019"
FORM_2021 = "kommunenkat-2021"
SEED = 2021

ANSWERS_AGAIN = 0.97  # a 2019 respondent answers again
ANSWERS_NOW = 0.2  # a municipality that did not answer in 2019 answers in 2021

# Question 2 (shared goal): the probability of a goal in 2021, by the 2019 answers.
GOAL_KEPT = 0.95  # had one in 2019
GOAL_GAINED = {"ja": 0.33, "nej": 0.12, "": 0.2}  # had none; by the answer to 2a (working on one)
# Question 2a (working on a goal, asked when there is none): yes in 2021 if yes in 2019, or
WORKING_ON_GOAL = 0.3  # with this probability when it was no or not asked
# Question 1 (decisions per level): a "nej" becomes "ja" with this probability, by whether
# the municipality has a shared goal in 2021; a "ja" stays with DECISION_KEPT.
DECISION_TAKEN = {True: 0.3, False: 0.12}
DECISION_KEPT = 0.96
BLANK_ANSWERED = 0.5  # an item left blank in 2019 is answered in 2021
# Question 3 (staff, the whole year): balance turns to shortage, shortage to balance.
SHORTAGE_FROM_BALANCE = 0.15
BALANCE_FROM_SHORTAGE = 0.06
# Question 5 (shared mobile team), by whether there is a shared goal.
MOBILE_TEAM = {True: 0.55, False: 0.3}
COMMENT_ON_STAFF = 0.1  # 3.kommentar answered
MEASURES_GIVEN = 0.7  # question 4 answered

STAFF_COMMENTS = [
    "Bristen på sjuksköterskor var störst under sommaren.",
    "Vi har haft svårt att rekrytera till natten.",
    "Specialistsjuksköterskor rekryteras i samarbete med grannkommunerna.",
    "Fysioterapeut och arbetsterapeut delas med en annan kommun.",
    "Bedömningen gäller hela året; under pandemin var bristen större.",
]
MEASURES = [
    "Vi har infört karriärtjänster för sjuksköterskor.",
    "Undersköterskor har tagit över delegerade uppgifter från sjuksköterskorna.",
    "Kommunen har anställt sjuksköterskor i ett bemanningsteam som täcker vakanser.",
    "Vi erbjuder betald specialistutbildning till distriktssköterska.",
    "Hyrsjuksköterskor har använts under semesterperioden.",
    "Rehabiliteringen har samlats i ett gemensamt team för hela kommunen.",
    "Vi samarbetar med regionen om gemensam introduktion för nyanställda.",
    "Schemat har gjorts om så att fler kan arbeta heltid.",
    "Kommunen har höjt lönerna för sjuksköterskor i hemsjukvården.",
    "Digitala tillsynsbesök frigör tid för sjuksköterskorna.",
]

NOTE_SV = (
    "Svaren i den här omgången är syntetiska: demon har räknat fram dem ur varje kommuns svar "
    "på enkäten 2019, med slumpmässiga men rimliga förändringar. De beskriver inte vad någon "
    "kommun verkligen har svarat."
)
NOTE_EN = (
    "The answers in this round are synthetic: the demo derived them from each municipality's "
    "answers to the 2019 survey, with random but plausible changes. They do not describe what "
    "any municipality actually answered."
)


def _items_of(form: FormDefinition, question: str) -> list[str]:
    """The items of a grid question: one per row."""
    return [i.id for i in form.items if i.question_id == question]


def _goal(rng: random.Random, before: Mapping[str, Any]) -> bool:
    if before.get("2") == "ja":
        return rng.random() < GOAL_KEPT
    return rng.random() < GOAL_GAINED.get(str(before.get("2a") or ""), GOAL_GAINED[""])


def answers_2021(before: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """One municipality's 2021 answers from its 2019 answers ``before`` (kommunenkat-2019 item
    ids and codes), drawn with ``rng``."""
    later = get_form(FORM_2021)
    carried: dict[str, Any] = {}
    for item_id, how in lineage.between(get_form(FORM_2019), later).items():
        value = before.get(how.previous_item)
        if value not in (None, ""):
            carried[item_id] = how.later_code(str(value))
    goal = _goal(rng, before)
    out: dict[str, Any] = {}
    for item in _items_of(later, "1"):
        was = carried.get(item)
        if was is None and rng.random() >= BLANK_ANSWERED:
            continue
        taken = rng.random() < (DECISION_KEPT if was == "ja" else DECISION_TAKEN[goal])
        out[item] = "ja" if taken else "nej"
    out["2"] = "finns" if goal else "saknas"
    if not goal:
        working = before.get("2a") == "ja" or rng.random() < WORKING_ON_GOAL
        out["2a"] = "ja" if working else "nej"
    for item in _items_of(later, "3"):
        was = carried.get(item)
        if was is None:
            continue
        if was == "balans" and rng.random() < SHORTAGE_FROM_BALANCE:
            was = "brist"
        elif was == "brist" and rng.random() < BALANCE_FROM_SHORTAGE:
            was = "balans"
        out[item] = was
    if rng.random() < COMMENT_ON_STAFF:
        out["3.kommentar"] = rng.choice(STAFF_COMMENTS)
    if rng.random() < MEASURES_GIVEN:
        out["4"] = " ".join(rng.sample(MEASURES, rng.choice((1, 1, 2))))
    out["5"] = "ja" if rng.random() < MOBILE_TEAM[goal] else "nej"
    return out


def synthetic_rows(
    rows_2019: Sequence[ImportRow],
    municipalities: Iterable[tuple[str, str]],
    seed: int = SEED,
) -> list[ImportRow]:
    """The municipalities' synthetic 2021 answers, one row per municipality that answers, in
    code order: ``rows_2019`` are the 2019 survey's rows (as :func:`naravard.demo.rounds.
    survey_rows` reads them) and ``municipalities`` every municipality as (code, county
    code)."""
    before = {row.org: row.answers for row in rows_2019}
    county_of = dict(municipalities)
    in_county: dict[str, list[str]] = {}
    for code in sorted(before):
        in_county.setdefault(county_of.get(code, ""), []).append(code)
    out: list[ImportRow] = []
    for code in sorted(county_of):
        rng = random.Random(f"{seed}-{code}")
        if code in before:
            if rng.random() >= ANSWERS_AGAIN:
                continue
            start = before[code]
        else:
            if rng.random() >= ANSWERS_NOW:
                continue
            like = in_county.get(county_of[code]) or sorted(before)
            start = before[rng.choice(like)]
        out.append(ImportRow(len(out) + 2, code, answers_2021(start, rng)))
    return out
